import { ArrivalSchedule, stageValueAt } from './schedule.js';
import type { WorkerPlan } from './worker-protocol.js';

/**
 * One worker's share of the open-model schedule: warmup (at the first
 * rate), then measurement, each exact. Requests are numbered over all
 * workers and this worker takes those with i ≡ index (mod workers), so the
 * workers' sends interleave into the one schedule asked for.
 */
export class WorkerSchedule {
  readonly #plan: WorkerPlan;
  readonly #warm: ArrivalSchedule | null;
  readonly #main: ArrivalSchedule;
  #k = 0;
  /** Intended time of the next request (ms on the common axis), or undefined when done. */
  next: number | undefined;

  constructor(plan: WorkerPlan) {
    this.#plan = plan;
    const firstRate = plan.stages?.length ? plan.stages[0]!.target : (plan.rate ?? 0);
    this.#warm =
      plan.warmupMs > 0 ? new ArrivalSchedule({ rate: firstRate, durationMs: plan.warmupMs }) : null;
    this.#main = new ArrivalSchedule({ rate: plan.rate, stages: plan.stages, durationMs: plan.durationMs });
    this.next = this.#timeOf(0);
  }

  /** The endpoint of the next request: requests go round-robin over the targets. */
  get target(): number {
    return (this.#k * this.#plan.workers + this.#plan.index) % this.#plan.targets.length;
  }

  /** Moves to the following request. */
  advance(): void {
    this.next = this.#timeOf(++this.#k);
  }

  /** Ends the schedule early (request budget spent). */
  end(): void {
    this.next = undefined;
  }

  #timeOf(k: number): number | undefined {
    const i = k * this.#plan.workers + this.#plan.index;
    const warm = this.#warm;
    if (warm && i < warm.count) return warm.timeOf(i);
    const t = this.#main.timeOf(i - (warm ? warm.count : 0));
    return t === undefined ? undefined : this.#plan.warmupMs + t;
  }
}

/**
 * Closed model: the connections this worker keeps `t` ms after the start
 * of measurement (negative during warmup): `--connections`, or its share of
 * the stages' target at that time. Warmup runs at the first stage's target;
 * measurement ramps from zero, as the open model does.
 */
export function closedConnectionsAt(plan: WorkerPlan, t: number): number {
  if (!plan.stages?.length) return plan.connections;
  const total = Math.round(
    t < 0 && plan.warmupMs > 0 ? plan.stages[0]!.target : stageValueAt(plan.stages, Math.max(0, t)),
  );
  return Math.floor(total / plan.workers) + (plan.index < total % plan.workers ? 1 : 0);
}
