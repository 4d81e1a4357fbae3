import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by the CLI, configuration and shared helpers. */
export const coreErrorCodes = {
  TENON_CLI_USAGE: {
    kind: 'usage',
    summary: 'A command line argument or flag is unknown, missing or malformed.',
  },
  TENON_CONFIG_INVALID: {
    kind: 'usage',
    summary: 'A configuration value (flag, environment variable or config file key) is invalid.',
  },
  TENON_CONFIG_NOT_FOUND: { kind: 'usage', summary: 'The config file given with --config does not exist.' },
  TENON_CONFIG_PARSE_FAILED: { kind: 'usage', summary: 'The config file is not valid JSON or YAML.' },
  TENON_SQL_PARSE_FAILED: {
    kind: 'usage',
    summary: 'SQL text could not be parsed by the PostgreSQL parser.',
  },
  TENON_SQL_UNSUPPORTED_BY_SERVER: {
    kind: 'usage',
    summary: "SQL that PostgreSQL 18's grammar accepts but the server's version cannot parse (newer syntax).",
  },
  TENON_INTERRUPTED: { kind: 'runtime', summary: 'The operation was interrupted (Ctrl-C or SIGTERM).' },
  TENON_INTERNAL: {
    kind: 'runtime',
    summary: 'An unexpected internal error; please report it with --verbose output.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
