/**
 * tenon's library entry point (`tenon`): the shared building blocks —
 * configuration, the database layer, durations, errors and SQL helpers.
 * Each part has its own entry: `tenon/migrate`, `tenon/analyze`,
 * `tenon/load`, `tenon/scaffold` and `tenon/demo`.
 */
export {
  configFromEnv,
  configSections,
  resolveConfig,
  type TenonConfig,
  tenonConfigSchema,
} from './config/tenon-config.js';
export { CONFIG_FILE_NAMES, type ConfigLayer, type LoadedConfigFile, loadConfigFile } from './core/config.js';
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
