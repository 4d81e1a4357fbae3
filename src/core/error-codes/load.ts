import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon load`. */
export const loadErrorCodes = {} as const satisfies Record<string, ErrorCodeInfo>;
