import { analyzeErrorCodes } from './analyze.js';
import { coreErrorCodes } from './core.js';
import { dbErrorCodes } from './db.js';
import { demoErrorCodes } from './demo.js';
import type { ErrorCodeInfo } from './error-code-info.js';
import { loadErrorCodes } from './load.js';
import { loadBaselineErrorCodes } from './load-baseline.js';
import { loadDistributedErrorCodes } from './load-distributed.js';
import { loadScenarioErrorCodes } from './load-scenario.js';
import { migrateErrorCodes } from './migrate.js';
import { scaffoldErrorCodes } from './scaffold.js';

export type { ErrorCodeInfo, ErrorKind } from './error-code-info.js';

/**
 * Every error code tenon raises. Each part owns one file in this folder;
 * `docs/errors.md` lists the same codes and `test/core/error-codes.test.ts`
 * fails when the two disagree.
 */
export const errorCodes = {
  ...coreErrorCodes,
  ...dbErrorCodes,
  ...migrateErrorCodes,
  ...loadErrorCodes,
  ...loadScenarioErrorCodes,
  ...loadBaselineErrorCodes,
  ...loadDistributedErrorCodes,
  ...analyzeErrorCodes,
  ...scaffoldErrorCodes,
  ...demoErrorCodes,
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable error code, e.g. `TENON_MIGRATE_LOCK_TIMEOUT`. */
export type ErrorCode = keyof typeof errorCodes;
