import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by distributed load runs: `--emit-k8s`, shard runs and `tenon load merge`. */
export const loadDistributedErrorCodes = {
  TENON_LOAD_SHARD_INVALID: {
    kind: 'usage',
    summary:
      'The parallelism or shard index is invalid, or a shard would get no share of the load (fewer connections or requests than shards).',
  },
  TENON_LOAD_START_PASSED: {
    kind: 'usage',
    summary: 'A shard became ready after the common start time (--start-at) had passed.',
  },
  TENON_LOAD_PLAN_INVALID: {
    kind: 'usage',
    summary: 'The --plan file cannot be read or is not a tenon load plan.',
  },
  TENON_LOAD_MERGE_UNREADABLE: {
    kind: 'usage',
    summary: 'A shard result given to tenon load merge cannot be read, is not a shard result, or is corrupt.',
  },
  TENON_LOAD_MERGE_MISMATCH: {
    kind: 'usage',
    summary: 'The shard results come from different plans (targets, rate, duration, shard count…).',
  },
  TENON_LOAD_MERGE_INCOMPLETE: {
    kind: 'usage',
    summary: 'A shard of the run is missing from tenon load merge, or given twice.',
  },
  TENON_LOAD_EMIT_FAILED: {
    kind: 'runtime',
    summary: 'The --emit-k8s folder or the --result-json file could not be written.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
