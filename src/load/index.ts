/** `tenon/load`: an HTTP load tester with coordinated-omission-correct latency. */

export type {
  BaselineComparison,
  ComparisonVerdict,
  MetricComparison,
  SetComparison,
} from './baseline/baseline-comparison.js';
export {
  BASELINE_SCHEMA,
  createBaseline,
  type LoadBaseline,
  type LoadedBaseline,
  parseBaseline,
  readBaselineFile,
} from './baseline/baseline-file.js';
export { type CompareOptions, compareToBaseline } from './baseline/compare-baseline.js';
export { formatMetricValue, METRIC_LABELS } from './baseline/metric-format.js';
export { type RunHistograms, runHistograms } from './baseline/run-histograms.js';
export { type ComparedMetric, parseTolerances, type Tolerances } from './baseline/tolerance.js';
export type { Bottleneck, BottleneckKind } from './bottleneck/bottleneck.js';
export { findBottlenecks } from './bottleneck/find-bottlenecks.js';
export {
  type CpuHolder,
  describeHolders,
  describeHost,
  type HostCpuFigures,
  hostCpuFigures,
} from './bottleneck/host-cpu-figures.js';
export {
  type CapacityEvent,
  type CapacityOptions,
  capacitySettingsSchema,
} from './capacity/capacity-options.js';
export {
  CAPACITY_RESULT_SCHEMA,
  type CapacityResult,
  type CapacityStatus,
  type CapacityStep,
} from './capacity/capacity-result.js';
export { type CapacitySlo, type LatencyObjective, parseCapacitySlo } from './capacity/capacity-slo.js';
export { capacityShort, capacityVerdict, formatConfidence, formatRate } from './capacity/capacity-verdict.js';
export { findCapacity } from './capacity/find-capacity.js';
export type { ErrorJudgement, ObjectiveJudgement, StepDecision } from './capacity/judge-step.js';
export { ERROR_CATEGORIES, type ErrorCategory, type ErrorCounts } from './error-category.js';
export {
  type DistributionBucket,
  isMeasured,
  type LatencySummary,
  type MeasuredLatency,
  NO_LATENCY,
  type SpectrumPoint,
  type UnmeasuredLatency,
} from './histogram-summary.js';
export { parseHeaderLines } from './http-request.js';
export { type K8sJobOptions, renderK8sJob } from './k8s-job.js';
export { type LoadConfig, loadConfigSchema } from './load-config.js';
export type { LoadEvent, LoadProgress } from './load-events.js';
export {
  DEFAULT_CLOSED_CONNECTIONS,
  DEFAULT_OPEN_CONNECTION_CAP,
  type LoadOptions,
  type LoadTarget,
  loadOptionsSchema,
  type ResolvedLoadOptions,
  resolveLoadOptions,
} from './load-options.js';
export { buildLoadPlan, LOAD_PLAN_SCHEMA, type LoadPlan, parseLoadPlan } from './load-plan.js';
export {
  type EndpointResult,
  LOAD_RESULT_SCHEMA,
  type LoadResult,
  type Recommendation,
  type SeriesPoint,
  type ThresholdResult,
} from './load-result.js';
export { MERGE_RESULT_SCHEMA, type MergeInfo, mergeShards, type ShardInput } from './merge-shards.js';
export { parseStages } from './parse-stages.js';
export { renderCapacityReport } from './report/capacity-report.js';
export { renderLoadReport } from './report/html-report.js';
export { runLoad } from './run-load.js';
export { runLoadShard } from './run-load-shard.js';
export { type LoadedScenario, loadScenarioFile, parseScenario } from './scenario/load-scenario-file.js';
export {
  DEFAULT_MAX_VUS,
  DEFAULT_SCENARIO_VUS,
  runScenario,
  type ScenarioEvent,
  type ScenarioRunOptions,
  scenarioRunOptionsSchema,
} from './scenario/run-scenario.js';
export { renderScenarioReport } from './scenario/scenario-report.js';
export {
  describeExamples,
  type FlowResult,
  SCENARIO_RESULT_SCHEMA,
  type ScenarioResult,
  type ScenarioSeriesPoint,
  type ScenarioThresholdResult,
  type StepResult,
} from './scenario/scenario-result.js';
export {
  defineScenario,
  type Scenario,
  type ScenarioInput,
  type ScenarioResponse,
  type ScenarioVars,
  scenarioSchema,
} from './scenario/scenario-schema.js';
export type { Stage } from './schedule.js';
export { checkShard, type ShardSpec, shardWorkerShares, splitShare, type WorkerShare } from './shard.js';
export { parseShardResults, SHARD_RESULT_SCHEMA, type ShardResult } from './shard-result.js';
export { parsePrometheusText } from './signals/prometheus-text.js';
export type { SignalOptions } from './signals/signal-recorder.js';
export { DEFAULT_SLO, parseThreshold, type Threshold } from './thresholds.js';
