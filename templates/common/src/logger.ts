import type { LoggerOptions } from 'pino';
import type { Config } from './config.js';
import { CREDENTIALS } from './generated/policy.js';

/**
 * pino options shared by the server and the migration runner. JSON lines
 * on stdout; `redact` hides credentials wherever they appear in a log line.
 */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'req.headers["idempotency-key"]',
        // The spec's apiKey headers carry access tokens.
        ...CREDENTIALS.headers.filter((h) => h !== 'x-api-key').map((h) => `req.headers[${JSON.stringify(h)}]`),
        'res.headers["set-cookie"]',
        '*.authorization',
        '*.cookie',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  };
}
