/**
 * `tenon/analyze`: find why a PostgreSQL database is slow and write the
 * migrations that fix it.
 */
export { type AnalyzeConfig, type AnalyzeConfigInput, analyzeConfigSchema } from './analyze-config.js';
export {
  type AnalyzeEvent,
  type AnalyzeOptions,
  type AnalyzeResult,
  analyzeDatabase,
  analyzeOptionsSchema,
  selectChecks,
  type TopQuery,
} from './analyzer.js';
export type { Capabilities, CapabilityName } from './capabilities.js';
export type { Check, CheckContext, CheckRun, Finding, FindingFix, FindingObject, Severity } from './check.js';
export { SEVERITIES } from './check.js';
export { allChecks } from './checks/index.js';
export {
  countPlaceholders,
  type ExplainOptions,
  type ExplainResult,
  explainOptionsSchema,
  explainQuery,
} from './explain.js';
export {
  type WriteFixMigrationsOptions,
  type WrittenMigration,
  writeFixMigrations,
} from './fix-migrations.js';
export type {
  CostingMethod,
  HelpedQuery,
  IndexAdvice,
  IndexRecommendation,
  SkippedQuery,
} from './index-advisor/advice.js';
export type { PlanIssue, PlanSummary, SlowestNode } from './plan-summary.js';
export { readQueriesFile } from './queries-file.js';
export { escapeHtml, renderAnalyzeHtml } from './report/html-report.js';
export { createDbSignalSampler, type DbSignalSamplerOptions } from './signals/db-signal-sampler.js';
export {
  readStatsSnapshot,
  STATS_SNAPSHOT_SCHEMA,
  type StatsSnapshot,
  statsSnapshotSchema,
  type TakeStatsSnapshotOptions,
  takeStatsSnapshot,
  writeStatsSnapshot,
} from './stats-window/stats-snapshot.js';
export type { StatsWindow } from './stats-window/stats-window.js';
export {
  type SuggestIndexesOptions,
  type SuggestIndexesResult,
  suggestIndexes,
  suggestIndexesOptionsSchema,
} from './suggest-indexes.js';
