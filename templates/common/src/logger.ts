import type { LoggerOptions } from 'pino';
import type { Config } from './config.js';

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
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  };
}
