import type { CapacitySlo } from './capacity-slo.js';
import type { ErrorJudgement, ObjectiveJudgement, StepDecision } from './judge-step.js';

/** The `schema` of a capacity search's JSON result. */
export const CAPACITY_RESULT_SCHEMA = 'tenon.load.capacity/v1';

/** One rate tried by the search: its repeats pooled, judged against the SLO. */
export interface CapacityStep {
  /** The arrival rate asked for, req/s. */
  rate: number;
  /** Successful responses per second over the step's trusted repeats. */
  achievedRps: number;
  /** Runs at this rate whose figures were pooled. */
  repeats: number;
  /** Runs left out because the generator was saturated (its own delay over `maxLateness`). */
  discardedRepeats: number;
  /** Measured seconds pooled. */
  durationSeconds: number;
  requests: number;
  ok: number;
  errors: ErrorJudgement;
  objectives: ObjectiveJudgement[];
  decision: StepDecision;
  /** Confidence (0–1) in the decision; for `unclear`, in the side the sample leans to. */
  confidence: number;
  /** Share of the repeats whose own figures (alone) lean the same way as the pooled decision. */
  agreement: number;
  /** Why: `met`, `p99<100ms not met`, `errors 2% over the 0.1% budget`, … */
  reason: string;
  /**
   * An `untrusted` step whose machine was saturated (CPUs ≥ 85 % busy, Linux):
   * its CPUs, busy share and who held them (the last run left out). The
   * generator was then late because the machine was full, not because it is
   * the limit: the target (its database, the app) may be what took the cores.
   */
  hostCpu?: CapacityHostCpu;
}

/** The machine's CPU during a run a capacity search left out. */
export interface CapacityHostCpu {
  cpus: number;
  /** Mean busy share of all CPUs, percent. */
  busyPct: number;
  /** Runnable threads per CPU (mean of the samples). */
  runQueuePerCpu: number;
  /** Who held the busy cores (`database` needs --db on this machine, `app` --pid or --metrics), largest first. */
  holders: { who: 'database' | 'app' | 'generator' | 'other'; cores: number; sharePct: number }[];
  /** What could not be attributed, in words. */
  unattributed: string[];
}

/**
 * How the search ended. `found`: a rate met the SLO and a higher one did
 * not. `max-rate-met`: `maxRate` met it (the capacity is at least that).
 * `none`: no rate down to `minRate` met it. `generator-saturated`: the
 * generator could not keep the schedule at some rate, so the search could
 * not go on (the capacity is at least `capacity`, when set). `incomplete`:
 * the time budget or an interruption ended the search before a rate failed.
 */
export type CapacityStatus = 'found' | 'max-rate-met' | 'none' | 'generator-saturated' | 'incomplete';

/** The result of {@link findCapacity} and the JSON of `tenon load --find-capacity --json`. */
export interface CapacityResult {
  schema: typeof CAPACITY_RESULT_SCHEMA;
  tool: { name: 'tenon'; version: string };
  startedAt: string;
  /** Wall time of the whole search, seconds. */
  durationSeconds: number;
  slo: CapacitySlo;
  /** The method, so a reader can judge the figures. */
  method: {
    search: 'doubling from startRate (halving when it fails), then bisection';
    test: 'exact binomial test of the share of samples beyond each latency limit; error rate against the budget';
    /** Confidence level a decision needs (0–1). */
    confidence: number;
    minRepeats: number;
    maxRepeats: number;
    /** The search stops when (firstFailure − capacity) / capacity is at most this. */
    precision: number;
  };
  options: {
    urls: string[];
    maxRate: number;
    minRate: number;
    startRate: number;
    stepDurationMs: number;
    maxStepDurationMs: number;
    warmupMs: number;
    pauseMs: number;
    maxTimeMs: number;
  };
  /** The highest rate that met the SLO with the stated confidence, req/s (null: none did). */
  capacity: number | null;
  /** The confidence of that rate's decision (0–1). */
  confidence: number | null;
  /** The lowest rate found not to meet the SLO (or not clearly), req/s. */
  firstFailure: number | null;
  status: CapacityStatus;
  stoppedBy: 'precision' | 'max-rate' | 'min-rate' | 'generator' | 'max-time' | 'interrupted';
  /** The steps in the order they ran. */
  steps: CapacityStep[];
  interrupted: boolean;
}
