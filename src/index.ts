/**
 * tenon's library entry point: the shared building blocks. Each part has its
 * own entry too: `tenon/migrate` (and later `tenon/analyze`, `tenon/load`,
 * `tenon/scaffold`).
 */
export {
  CONFIG_FILE_NAMES,
  type ConfigLayer,
  configFromEnv,
  loadConfigFile,
  resolveConfig,
  type TenonConfig,
  tenonConfigSchema,
} from './core/config.js';
export * from './core/db/index.js';
export { durationSchema, formatDuration, parseDuration } from './core/duration.js';
export { type ErrorCodeInfo, errorCodes } from './core/error-codes/index.js';
export {
  type ErrorCode,
  type ErrorKind,
  isTenonError,
  TenonError,
  type TenonErrorOptions,
  toTenonError,
} from './core/errors.js';
export * from './core/sql/index.js';
