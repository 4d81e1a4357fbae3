import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon db` (analyze, explain, suggest-indexes). */
export const analyzeErrorCodes = {
  TENON_ANALYZE_UNKNOWN_CHECK: {
    kind: 'usage',
    summary: 'A check named with --only or analyze.only/skip does not exist.',
  },
  TENON_ANALYZE_EXPLAIN_INVALID: {
    kind: 'usage',
    summary: 'The statement given to tenon db explain is not exactly one SQL statement.',
  },
  TENON_ANALYZE_PARAMS_MISMATCH: {
    kind: 'usage',
    summary: 'The --params given do not match the $n parameters of the statement.',
  },
  TENON_ANALYZE_EXPLAIN_TIMEOUT: {
    kind: 'runtime',
    summary: 'EXPLAIN ran longer than analyze.explainTimeout and was cancelled.',
  },
  TENON_ANALYZE_QUERIES_FILE: {
    kind: 'usage',
    summary: 'The --queries file cannot be read or does not parse as SQL.',
  },
  TENON_ANALYZE_SNAPSHOT_INVALID: {
    kind: 'usage',
    summary: 'The file given to --since is missing, not a tenon db snapshot, or of another database.',
  },
  TENON_ANALYZE_WRITE_FAILED: {
    kind: 'runtime',
    summary: 'A migration file or report could not be written.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
