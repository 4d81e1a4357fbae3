import * as z from 'zod';
import { booleanSchema, intSchema } from '../core/config-values.js';
import { durationSchema } from '../core/duration.js';

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** A size in bytes, given as a number or as text with a unit (`64kB`, `10MB`, `1GB`). */
export const byteSizeSchema = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `expected a size such as 64kB, 10MB or 1GB (got "${value}")` });
    return z.NEVER;
  }
  return Math.round(Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
});

/** A ratio between 0 and 1, given as a number or a decimal string. */
const ratioSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a ratio between 0 and 1 (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }
  return n;
});

/** A list of names, given as an array or as comma-separated text (flags, environment). */
const nameListSchema = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  );

/**
 * Settings of `tenon db` in the config file (section `analyze`) and the
 * `TENON_ANALYZE_*` environment variables: which checks run and the
 * thresholds at which they report. Every threshold is documented in
 * docs/analyze.md; tests lower some of them to trigger checks on small data.
 */
export const analyzeConfigSchema = z.strictObject({
  /** Run only these checks (ids). Empty: all. */
  only: nameListSchema.default([]),
  /** Never run these checks (ids). */
  skip: nameListSchema.default([]),
  /** How many statements (heaviest first by total time) are read from pg_stat_statements. */
  maxStatements: intSchema(1).default(500),
  /** Statements seen fewer times than this in pg_stat_statements are ignored by the index advisor and n-plus-one. */
  minCalls: intSchema(1).default(10),
  /** A candidate index must cut a query's estimated cost by at least this share. */
  minCostSaving: ratioSchema.default(0.5),
  /** Statements given in a file (no measured time) whose estimated cost is below this are too cheap to index for. */
  minQueryCost: intSchema(0).default(100),
  /** Measured statements faster than this on average are not indexed for (an index cannot save what is not spent)… */
  minQueryMean: durationSchema.default(0.1),
  /** …unless they take at least this share of the database's execution time. */
  minQueryTimeShare: ratioSchema.default(0.2),
  /** Price candidate indexes with hypopg when the server has it (false: real builds and pg_stats only). */
  hypopg: booleanSchema.default(true),
  /** Without hypopg, candidates are built for real (in a rolled-back transaction) on tables up to this size. */
  realIndexMaxTableSize: byteSizeSchema.default(10 * 1024 ** 2),
  /** A table with more than this many calls of writing statements per call of reading ones is write-heavy: indexes on it need a bigger saving. */
  writeHeavyRatio: intSchema(1).default(10),
  /** The saving an index needs on a write-heavy table. */
  writeHeavyMinCostSaving: ratioSchema.default(0.8),
  /** slow-query: mean execution time at which a statement is slow. */
  slowQueryMean: durationSchema.default(100),
  /** slow-query: a statement taking at least this share of all execution time is reported too. */
  slowQueryTotalShare: ratioSchema.default(0.5),
  /** slow-query: and at least this much total time. */
  slowQueryTotal: durationSchema.default(60_000),
  /** How many statements the report lists as top queries. */
  topQueries: intSchema(1).default(10),
  /** n-plus-one: a lookup must be called at least this often. */
  nPlusOneMinCalls: intSchema(1).default(100),
  /** seq-scan-heavy and missing-index evidence: tables with fewer live rows are ignored. */
  seqScanMinRows: intSchema(0).default(10_000),
  /** seq-scan-heavy: at least this many sequential scans since the statistics were reset. */
  seqScanMinScans: intSchema(1).default(50),
  /** seq-scan-heavy: reported when fewer than this share of scans use an index. */
  seqScanMaxIndexShare: ratioSchema.default(0.95),
  /** unused-index: smaller unused indexes are reported as info, not warnings. */
  unusedIndexMinSize: byteSizeSchema.default(1024 ** 2),
  /** unused-index, seq-scan-heavy: statistics must cover at least this long (when the reset time is known). */
  minStatsAge: durationSchema.default(3_600_000),
  /** cache-hit-ratio: reported below this share of blocks found in shared buffers. */
  cacheHitRatioMin: ratioSchema.default(0.99),
  /** cache-hit-ratio: ignored until this many blocks were accessed. */
  cacheHitMinBlocks: intSchema(0).default(10_000),
  /** table-bloat, index-bloat: estimated share of wasted space. */
  bloatRatio: ratioSchema.default(0.5),
  /** table-bloat, index-bloat: and at least this much wasted space. */
  bloatMinSize: byteSizeSchema.default(100 * 1024 ** 2),
  /** vacuum-stale: dead rows as a share of all rows. */
  deadRowRatio: ratioSchema.default(0.2),
  /** vacuum-stale: and at least this many dead rows (also: rows changed since the last analyze). */
  deadRowMin: intSchema(0).default(10_000),
  /** vacuum-stale: tables with fewer rows are not reported for rows changed since the last analyze, nor for never being analyzed. */
  vacuumMinRows: intSchema(0).default(1000),
  /** xid-wraparound: transaction (or multixact) age that warns. */
  xidWarnAge: intSchema(1).default(500_000_000),
  /** xid-wraparound: age that is critical. */
  xidCriticalAge: intSchema(1).default(1_500_000_000),
  /** sequence-overflow: share of the type's range used that warns. */
  sequenceWarnRatio: ratioSchema.default(0.75),
  /** sequence-overflow: share that is critical. */
  sequenceCriticalRatio: ratioSchema.default(0.9),
  /** connections: share of the allowed connections in use that warns. */
  connectionsWarnRatio: ratioSchema.default(0.8),
  /** connections: sessions idle in a transaction for longer than this. */
  idleInTransaction: durationSchema.default(60_000),
  /** long-running-query: statements running for longer than this. */
  longRunning: durationSchema.default(60_000),
  /** blocked-query: statements waiting for a lock for longer than this. */
  blockedFor: durationSchema.default(5_000),
  /** `tenon db explain` and the advisor's EXPLAINs: statement_timeout. */
  explainTimeout: durationSchema.default(10_000),
});

/** Resolved `analyze` settings. */
export type AnalyzeConfig = z.output<typeof analyzeConfigSchema>;

/** `analyze` settings as given (strings with units allowed), before defaults. */
export type AnalyzeConfigInput = z.input<typeof analyzeConfigSchema>;
