import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon demo`. */
export const demoErrorCodes = {} as const satisfies Record<string, ErrorCodeInfo>;
