import type { ServerSignals } from '../../core/signals/server-signals.js';
import type { LatencySummary } from '../histogram-summary.js';
import type { Recommendation, ThresholdResult } from '../load-result.js';
import type { ScenarioGeneratorFigures } from './scenario-generator.js';
import type { StepFailure } from './step-outcome.js';

/** The `schema` of a scenario run's result (`--json`, `--out`). */
export const SCENARIO_RESULT_SCHEMA = 'tenon.load.scenario/v1';

/** One step of one flow (setup and teardown steps have the flow names `setup` and `teardown`). */
export interface StepResult {
  /** `flow.step`, as thresholds name it. */
  name: string;
  flow: string;
  step: string;
  method: string;
  requests: number;
  ok: number;
  failed: number;
  /** Failed share of the step's requests, percent. */
  errorRate: number;
  rps: number;
  /** Of the successful requests: from the write to the last byte of the response. */
  latency: LatencySummary;
  statusCodes: Record<string, number>;
  /** Failed requests by reason (only reasons that occurred). */
  failures: Partial<Record<StepFailure, number>>;
  /** The first few distinct failure messages, for diagnosis. */
  examples: string[];
  /** How many failed requests had each message of `examples`. */
  exampleCounts: Record<string, number>;
}

/** A step's failure examples for people: `status 429, expected < 400 (×57) · …`. */
export function describeExamples(s: Pick<StepResult, 'examples' | 'exampleCounts'>): string {
  return s.examples
    .map((m) => {
      const n = s.exampleCounts[m] ?? 1;
      return n > 1 ? `${m} (×${n})` : m;
    })
    .join(' · ');
}

/** One flow. */
export interface FlowResult {
  name: string;
  weight: number;
  started: number;
  ok: number;
  failed: number;
  /** Percent of finished flows that succeeded. */
  successRate: number;
  /** Successful flows per second. */
  okPerSecond: number;
  /** Of the successful flows, think time included; from the intended start in the open model. */
  duration: LatencySummary;
  /** Failed flows by the step where they stopped. */
  failedAt: Record<string, number>;
}

/** One second of the run. */
export interface ScenarioSeriesPoint {
  second: number;
  flowsStarted: number;
  flowsOk: number;
  flowsFailed: number;
  requests: number;
  requestsFailed: number;
  /** Flow duration of the flows that succeeded in that second. */
  flowP50: number;
  flowP99: number;
  /** Latency of the successful requests of that second. */
  requestP50: number;
  requestP99: number;
  vusBusy: number;
}

/** A threshold of a scenario run, with what it was checked against. */
export interface ScenarioThresholdResult extends ThresholdResult {
  /** `all` (every request of the flows), a flow name or `flow.step`. */
  scope: string;
}

/** The result of {@link runScenario}. */
export interface ScenarioResult {
  schema: typeof SCENARIO_RESULT_SCHEMA;
  tool: { name: 'tenon'; version: string };
  startedAt: string;
  /** Measured: from the first flow to the end of the last. */
  durationSeconds: number;
  model: 'open' | 'closed';
  /** True in the open model: flow durations count from the intended start. */
  latencyCorrected: boolean;
  scenario: { name: string | null; file: string };
  options: {
    rate: number | null;
    vus: number;
    maxVus: number | null;
    durationMs: number | null;
    iterations: number | null;
    timeoutMs: number;
  };
  /** Every flow together (setup and teardown excluded). */
  totals: {
    flows: { started: number; ok: number; failed: number; successRate: number; okPerSecond: number };
    requests: { total: number; ok: number; failed: number; rps: number; errorRate: number };
    latency: LatencySummary;
  };
  flows: FlowResult[];
  steps: StepResult[];
  vus: { created: number; peakBusy: number };
  /** Open model: flows that waited for a free virtual user (all were busy and `maxVus` reached). */
  queued: number;
  /** Open model: arrivals still waiting for a user when the run ended, never started (not in the flow counts). */
  unstarted: number;
  thresholds: ScenarioThresholdResult[];
  thresholdsPassed: boolean;
  /** Findings about the run, as in plain runs (`rate-limited` when steps got 429s). */
  recommendations: Recommendation[];
  /**
   * `no-success`: not one flow succeeded (whatever the thresholds say);
   * `threshold-failed` also when the generator was saturated;
   * `generator-saturated`: every threshold passed but the generator could not
   * keep the schedule, so the figures cannot be trusted to pass.
   */
  status: 'pass' | 'threshold-failed' | 'no-success' | 'generator-saturated';
  /** How the thread that ran the scenario kept up (judged in the open model). */
  generator: ScenarioGeneratorFigures;
  /** Server-side signals (the machine's CPU on Linux, `--db`, `--pid`, `--metrics`); null when none was sampled. */
  signals: ServerSignals | null;
  series: ScenarioSeriesPoint[];
  interrupted: boolean;
}
