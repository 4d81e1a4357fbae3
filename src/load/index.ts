/** `tenon/load`: an HTTP load tester with coordinated-omission-correct latency. */

export type { Bottleneck, BottleneckKind } from './bottleneck/bottleneck.js';
export { findBottlenecks } from './bottleneck/find-bottlenecks.js';
export { ERROR_CATEGORIES, type ErrorCategory, type ErrorCounts } from './error-category.js';
export type { DistributionBucket, LatencySummary, SpectrumPoint } from './histogram.js';
export { parseHeaderLines } from './http-request.js';
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
export {
  type EndpointResult,
  LOAD_RESULT_SCHEMA,
  type LoadResult,
  type Recommendation,
  type SeriesPoint,
  type ThresholdResult,
} from './load-result.js';
export { renderLoadReport } from './report/html-report.js';
export { runLoad } from './run-load.js';
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
export { parseStages, type Stage } from './schedule.js';
export { parsePrometheusText } from './signals/prometheus-text.js';
export type { SignalOptions } from './signals/signal-recorder.js';
export { DEFAULT_SLO, parseThreshold, type Threshold } from './thresholds.js';
