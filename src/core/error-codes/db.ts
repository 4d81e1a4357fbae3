import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by the database layer (`src/core/db`). */
export const dbErrorCodes = {
  TENON_DB_URL_INVALID: {
    kind: 'usage',
    summary: 'The database URL is not a postgres://, postgresql:// or pglite:// URL.',
  },
  TENON_DB_UNREACHABLE: {
    kind: 'runtime',
    summary: 'No PostgreSQL server answered at the given host and port within the connect timeout.',
  },
  TENON_DB_AUTH_FAILED: { kind: 'runtime', summary: 'The server rejected the user name or password.' },
  TENON_DB_PASSWORD_MISSING: {
    kind: 'usage',
    summary: 'The server asks for a password and the URL, PGPASSWORD and ~/.pgpass give none.',
  },
  TENON_DB_TLS_FAILED: {
    kind: 'runtime',
    summary: 'TLS did not work out: the server lacks or requires it, or its certificate was not accepted.',
  },
  TENON_DB_NOT_FOUND: {
    kind: 'runtime',
    summary: 'The database named in the URL does not exist on the server.',
  },
  TENON_DB_CONNECTION_LOST: {
    kind: 'runtime',
    summary: 'The connection to the server was closed while a statement was running.',
  },
  TENON_DB_QUERY_FAILED: { kind: 'runtime', summary: 'PostgreSQL rejected a statement.' },
  TENON_DB_PGLITE_LOCKED: {
    kind: 'runtime',
    summary: 'Another process has the embedded (PGlite) database directory open.',
  },
  TENON_DB_PGLITE_FAILED: { kind: 'runtime', summary: 'The embedded (PGlite) database could not be opened.' },
} as const satisfies Record<string, ErrorCodeInfo>;
