import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon analyze`. */
export const analyzeErrorCodes = {} as const satisfies Record<string, ErrorCodeInfo>;
