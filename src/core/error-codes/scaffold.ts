import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon scaffold`. */
export const scaffoldErrorCodes = {} as const satisfies Record<string, ErrorCodeInfo>;
