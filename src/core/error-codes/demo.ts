import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon demo`. */
export const demoErrorCodes = {
  TENON_DEMO_DATABASE_NOT_EMPTY: {
    kind: 'usage',
    summary: 'The database given to tenon demo already has the demo tables; it needs an empty database.',
  },
  TENON_DEMO_APP_FAILED: {
    kind: 'runtime',
    summary: 'The generated demo app exited or did not become ready; the message has its last output.',
  },
  TENON_DEMO_LOAD_FAILED: {
    kind: 'runtime',
    summary:
      'No request of one of the demo’s load steps succeeded; the message names the statuses the app answered.',
  },
  TENON_DEMO_LOGIN_FAILED: {
    kind: 'runtime',
    summary: 'Registering or logging in the demo user failed with a status other than 404.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
