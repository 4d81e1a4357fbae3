import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon load --save-baseline / --compare` (baseline files). */
export const loadBaselineErrorCodes = {
  TENON_LOAD_BASELINE_UNREADABLE: {
    kind: 'usage',
    summary: 'The --compare baseline file does not exist or cannot be read (checked before the run starts).',
  },
  TENON_LOAD_BASELINE_INVALID: {
    kind: 'usage',
    summary:
      'The --compare file is not JSON, not a tenon.load.baseline/v1 document, or its histograms are corrupt.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
