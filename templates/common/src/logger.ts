import type { LoggerOptions } from 'pino';

/**
 * A request's URL as logged: the path only. Query strings carry what must not be kept
 * (a token sent as `?access_token=`, personal data in filters), so they are never logged.
 */
export function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}

/** Methods that change data: their calls by a role that sees every row are logged as `admin.write`. */
export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
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
        ...CREDENTIALS.headers.filter((h) => h !== 'x-api-key' && h !== 'authorization').map((h) => `req.headers[${JSON.stringify(h)}]`),
        // The spec's apiKey query parameters and cookies carry them too, wherever a line holds them by name.
        ...[...CREDENTIALS.query, ...CREDENTIALS.cookies].flatMap((name) => [`req.query[${JSON.stringify(name)}]`, `*[${JSON.stringify(name)}]`]),
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

/**
 * The logger of the access line (one per request: `reqId`, method, path,
 * status, time), a child of the app's logger without redaction. Its fields
 * are fixed scalars that never hold a credential (the path is logged without
 * its query string), and redaction's wildcard paths (`*.password`, …) walk
 * every line: with the per-request child logger it cost 11.2 µs a request,
 * 2.9 µs without both (measured in process). Every other line keeps
 * `loggerOptions`' redaction.
 */
export function accessLogger<L extends { child(bindings: object, options: { redact: { paths: string[] } }): L }>(logger: L): L {
  return logger.child({}, { redact: { paths: [] } });
}
