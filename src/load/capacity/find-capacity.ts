import { setTimeout as sleep } from 'node:timers/promises';
import { tenonVersion } from '../../core/version.js';
import { hostCpuFigures } from '../bottleneck/host-cpu-figures.js';
import { createTotalHistogram } from '../histogram.js';
import { resolveLoadOptions } from '../load-options.js';
import type { LoadResult } from '../load-result.js';
import { runLoadMeasured } from '../run-load.js';
import { type CapacityOptions, type CapacitySettings, resolveCapacityOptions } from './capacity-options.js';
import {
  CAPACITY_RESULT_SCHEMA,
  type CapacityHostCpu,
  type CapacityResult,
  type CapacityStatus,
  type CapacityStep,
} from './capacity-result.js';
import { type CapacitySlo, parseCapacitySlo } from './capacity-slo.js';
import { hostReason } from './capacity-verdict.js';
import { decideStep, judgeErrors, judgeObjective } from './judge-step.js';

/** Rates are whole req/s from 10 up, one decimal below. */
function roundRate(rate: number): number {
  return rate >= 10 ? Math.round(rate) : Math.max(0.1, Math.round(rate * 10) / 10);
}

/**
 * Samples a rate needs for a clear pass with none beyond the limit: the
 * smallest n with (percentile/100)ⁿ ≤ 1 − confidence, for the strictest
 * objective. Runs are lengthened (up to maxStepDuration) to hold that many
 * over the minimum repeats; otherwise a low rate could never be decided.
 */
function samplesForPass(slo: CapacitySlo, confidence: number): number {
  const worst = Math.max(...slo.latency.map((o) => o.percentile));
  return Math.ceil(Math.log(1 - confidence) / Math.log(worst / 100)) + 1;
}

/**
 * Finds the highest arrival rate at which the target meets an SLO, with a
 * stated confidence. Each rate is run in the open model (latency corrected
 * for coordinated omission) at least `minRepeats` times, each run a fresh
 * `runLoad`; their successful responses' histograms are pooled and every
 * latency objective is judged by an exact binomial test of the share of
 * samples beyond its limit (see {@link judgeObjective}); the error rate is
 * held to the budget. An undecided rate is run again, up to `maxRepeats`,
 * and counts as not met if it stays undecided. Runs whose generator was
 * saturated are left out; when half the runs allowed at one rate (at least
 * two) were, the search ends (`generator-saturated`): a capacity above what
 * the generator can measure is not reported.
 *
 * The rates: `startRate`, doubled while met (up to `maxRate`), halved while
 * not (down to `minRate`); then bisection between the highest rate met and
 * the lowest not met until they are within `precision`.
 *
 * @example
 * ```ts
 * import { findCapacity } from 'tenon/load';
 * const r = await findCapacity({ urls: ['http://127.0.0.1:3000/'], slo: 'p99<100ms', maxRate: 2000 });
 * console.log(r.capacity, r.confidence);
 * ```
 * @throws TenonError `TENON_LOAD_SLO_INVALID`, `TENON_LOAD_CAPACITY_INVALID`, and those of `runLoad`.
 */
export async function findCapacity(input: CapacityOptions): Promise<CapacityResult> {
  const { settings: s, request } = resolveCapacityOptions(input);
  const slo = parseCapacitySlo(s.slo);
  // The generator's own delay matters only where it could move a decision: against the tightest
  // limit, not the mean latency (a 5 ms service must not be judged "saturated" by 1 ms of lateness
  // when the question is p99 < 100 ms). Default: 5 % of that limit per request.
  request.maxLateness ??= { ms: Math.max(0.5, 0.05 * Math.min(...slo.latency.map((o) => o.limit))) };
  // Check the request options once, before any traffic (a bad URL or header fails here).
  const resolved = resolveLoadOptions({ ...request, rate: s.maxRate });
  const started = Date.now();
  const startedAt = new Date(started);
  const steps: CapacityStep[] = [];
  const needed = samplesForPass(slo, s.confidence);
  let interrupted = false;

  const runStep = async (rate: number, remainingMs: number): Promise<CapacityStep | undefined> => {
    const repeatMs = Math.min(
      s.maxStepDuration,
      Math.max(s.stepDuration, Math.ceil((1000 * needed) / s.minRepeats / rate)),
    );
    const pooled = createTotalHistogram();
    const perRepeat: ReturnType<typeof createTotalHistogram>[] = [];
    let requests = 0;
    let ok = 0;
    let errors = 0;
    let seconds = 0;
    let discarded = 0;
    let step: CapacityStep | undefined;
    for (let repeat = 1; repeat <= s.maxRepeats; repeat++) {
      const cost = s.pause + s.warmup + repeatMs;
      if (repeat > 1 && Date.now() - started + cost > s.maxTime) break;
      if (repeat === 1 && remainingMs < s.minRepeats * cost) return undefined;
      if (steps.length > 0 || repeat > 1)
        await sleep(s.pause, undefined, { signal: s.signal }).catch(() => {});
      if (s.signal?.aborted) {
        interrupted = true;
        break;
      }
      s.onEvent?.({ type: 'repeat-start', rate, repeat, durationMs: repeatMs });
      const { result, latency } = await runLoadMeasured({
        ...request,
        rate,
        duration: repeatMs,
        warmup: s.warmup,
        signal: s.signal,
        onEvent: (e) => {
          if (e.type === 'progress') s.onEvent?.({ type: 'progress', rate, repeat, progress: e.progress });
        },
      });
      if (result.interrupted) {
        interrupted = true;
        break;
      }
      if (result.generator.saturated) {
        discarded++;
        // A busy machine may stall one run; most of the runs at a rate saturated means the generator cannot measure it.
        if (discarded >= Math.min(s.maxRepeats, Math.max(2, Math.ceil(s.maxRepeats / 2)))) {
          const host = saturatedHost(result);
          step = host
            ? {
                ...stepOf(rate, 'untrusted', 0, hostReason(host)),
                hostCpu: host,
              }
            : stepOf(rate, 'untrusted', 0, 'the generator was saturated: its figures cannot be trusted');
          break;
        }
        continue;
      }
      pooled.add(latency);
      perRepeat.push(latency);
      requests += result.requests.total;
      ok += result.requests.ok;
      errors += result.requests.errors;
      seconds += result.durationSeconds;
      const trusted = perRepeat.length;
      const objectives = slo.latency.map((o) => judgeObjective(pooled, o, s.confidence));
      const errorJudgement = judgeErrors(requests, errors, slo.errorBudget, s.confidence);
      const decided = decideStep(objectives, errorJudgement, ok);
      const lean = decided.decision === 'unclear' ? leaning(objectives) : decided.decision;
      const agreeing = perRepeat.filter((h) => {
        const own = slo.latency.map((o) => judgeObjective(h, o, s.confidence));
        return leaning(own) === lean;
      }).length;
      step = {
        rate,
        achievedRps: round2(ok / Math.max(0.001, seconds)),
        repeats: trusted,
        discardedRepeats: discarded,
        durationSeconds: round2(seconds),
        requests,
        ok,
        errors: errorJudgement,
        objectives,
        decision: decided.decision,
        confidence: decided.confidence,
        agreement: round2(agreeing / trusted),
        reason: decided.reason,
      };
      if (decided.decision !== 'unclear' && trusted >= s.minRepeats) break;
    }
    step ??= stepOf(rate, 'unclear', 0, 'no run completed');
    if (step.decision === 'untrusted') step.discardedRepeats = discarded;
    else if (step.decision === 'unclear' && !interrupted)
      step.reason += ` after ${step.repeats} runs: counted as not met`;
    else if (step.decision !== 'unclear' && step.repeats < s.minRepeats && !interrupted) {
      // Stopped by the time budget before the minimum repeats: not decided.
      step.reason = `${step.reason}; only ${step.repeats} of ${s.minRepeats} runs: counted as not met`;
      step.decision = 'unclear';
    }
    steps.push(step);
    s.onEvent?.({ type: 'step-done', step });
    return step;
  };

  let best: CapacityStep | undefined;
  let lowestFail: number | undefined;
  let rate = roundRate(s.startRate);
  let stoppedBy: CapacityResult['stoppedBy'] = 'precision';
  let status: CapacityStatus | undefined;
  for (;;) {
    const step = await runStep(rate, s.maxTime - (Date.now() - started));
    if (interrupted) {
      stoppedBy = 'interrupted';
      break;
    }
    if (!step) {
      stoppedBy = 'max-time';
      break;
    }
    if (step.decision === 'untrusted') {
      stoppedBy = 'generator';
      status = 'generator-saturated';
      break;
    }
    if (step.decision === 'pass') {
      if (!best || rate > best.rate) best = step;
    } else {
      lowestFail = Math.min(lowestFail ?? rate, rate);
    }
    let next: number;
    if (lowestFail === undefined) {
      if (rate >= s.maxRate) {
        stoppedBy = 'max-rate';
        status = 'max-rate-met';
        break;
      }
      next = Math.min(s.maxRate, rate * 2);
    } else if (!best) {
      if (rate <= s.minRate) {
        stoppedBy = 'min-rate';
        status = 'none';
        break;
      }
      next = Math.max(s.minRate, rate / 2);
    } else {
      if ((lowestFail - best.rate) / best.rate <= s.precision) break;
      next = (best.rate + lowestFail) / 2;
    }
    next = roundRate(next);
    if (next === rate || (best && next <= best.rate) || (lowestFail !== undefined && next >= lowestFail))
      break;
    rate = next;
  }
  status ??=
    best && lowestFail !== undefined
      ? 'found'
      : best
        ? 'incomplete'
        : lowestFail !== undefined
          ? 'none'
          : 'incomplete';
  return {
    schema: CAPACITY_RESULT_SCHEMA,
    tool: { name: 'tenon', version: tenonVersion() },
    startedAt: startedAt.toISOString(),
    durationSeconds: round2((Date.now() - started) / 1000),
    slo,
    method: {
      search: 'doubling from startRate (halving when it fails), then bisection',
      test: 'exact binomial test of the share of samples beyond each latency limit; error rate against the budget',
      confidence: s.confidence,
      minRepeats: s.minRepeats,
      maxRepeats: s.maxRepeats,
      precision: s.precision,
    },
    options: optionsOf(resolved.urls, s),
    capacity: best?.rate ?? null,
    confidence: best?.confidence ?? null,
    firstFailure: lowestFail ?? null,
    status,
    stoppedBy,
    steps,
    interrupted,
  };
}

/** The side a set of judgements leans to: fail if any objective leans to fail. */
function leaning(
  objectives: readonly { decision: string; confidence: number; value: number; limit: number }[],
) {
  return objectives.some((o) => o.decision === 'fail' || (o.decision === 'unclear' && o.value >= o.limit))
    ? 'fail'
    : 'pass';
}

/** The machine's CPU of a run left out, when it was saturated (who held it, the generator included). */
export function saturatedHost(result: LoadResult): CapacityHostCpu | undefined {
  const f = hostCpuFigures(result.signals, result.generator.cpuCores);
  if (!f?.saturated) return undefined;
  return {
    cpus: f.cpus,
    busyPct: Math.round(f.busy * 1000) / 10,
    runQueuePerCpu: Math.round(f.runQueuePerCpu * 100) / 100,
    holders: f.holders.map((h) => ({
      who: h.who,
      cores: h.cores,
      sharePct: Math.round(h.share * 1000) / 10,
    })),
    unattributed: f.unknown,
  };
}

function stepOf(
  rate: number,
  decision: CapacityStep['decision'],
  confidence: number,
  reason: string,
): CapacityStep {
  return {
    rate,
    achievedRps: 0,
    repeats: 0,
    discardedRepeats: 0,
    durationSeconds: 0,
    requests: 0,
    ok: 0,
    errors: { requests: 0, errors: 0, rate: 0, budget: 0, decision: 'pass', confidence: 1 },
    objectives: [],
    decision,
    confidence,
    agreement: 0,
    reason,
  };
}

function optionsOf(urls: string[], s: CapacitySettings): CapacityResult['options'] {
  return {
    urls,
    maxRate: s.maxRate,
    minRate: s.minRate,
    startRate: s.startRate,
    stepDurationMs: s.stepDuration,
    maxStepDurationMs: s.maxStepDuration,
    warmupMs: s.warmup,
    pauseMs: s.pause,
    maxTimeMs: s.maxTime,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
