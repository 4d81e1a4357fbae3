import type { Check } from '../check.js';
import { blockedQuery } from './blocked-query.js';
import { cacheHitRatio } from './cache-hit-ratio.js';
import { connections } from './connections.js';
import { duplicateIndex } from './duplicate-index.js';
import { indexBloat } from './index-bloat.js';
import { invalidConstraint } from './invalid-constraint.js';
import { invalidIndex } from './invalid-index.js';
import { longRunningQuery } from './long-running-query.js';
import { missingFkIndex } from './missing-fk-index.js';
import { missingIndex } from './missing-index.js';
import { missingPrimaryKey } from './missing-primary-key.js';
import { nPlusOne } from './n-plus-one.js';
import { partitionConsistency } from './partition-consistency.js';
import { seqScanHeavy } from './seq-scan-heavy.js';
import { sequenceOverflow } from './sequence-overflow.js';
import { slowQuery } from './slow-query.js';
import { staleStatistics } from './stale-statistics.js';
import { tableBloat } from './table-bloat.js';
import { unusedIndex } from './unused-index.js';
import { vacuumStale } from './vacuum-stale.js';
import { xidWraparound } from './xid-wraparound.js';

/** Every check, in report order: indexes, queries, storage and maintenance, safety, live sessions. */
export const allChecks: readonly Check[] = [
  missingFkIndex,
  missingIndex,
  staleStatistics,
  unusedIndex,
  duplicateIndex,
  invalidIndex,
  seqScanHeavy,
  slowQuery,
  nPlusOne,
  tableBloat,
  indexBloat,
  cacheHitRatio,
  vacuumStale,
  xidWraparound,
  sequenceOverflow,
  missingPrimaryKey,
  invalidConstraint,
  partitionConsistency,
  connections,
  longRunningQuery,
  blockedQuery,
];
