import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon migrate`. */
export const migrateErrorCodes = {
  TENON_MIGRATE_FILE_INVALID: {
    kind: 'usage',
    summary: 'A migration file name or its markers are malformed.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
