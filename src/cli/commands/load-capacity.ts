import type { Command } from 'commander';
import { TenonError } from '../../core/errors.js';
import {
  type CapacityResult,
  findCapacity,
  type LoadOptions,
  renderCapacityReport,
} from '../../load/index.js';
import type { CliContext } from '../cli-context.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { capacityProgress, renderCapacitySummary } from '../output/capacity-summary.js';
import { checkOutputFile, writeRunOutputs } from './output-file.js';

/** The flags a capacity search reads besides the request's. */
interface CapacityFlags {
  slo?: string;
  maxRate?: string;
  minRate?: string;
  rate?: string;
  duration?: string;
  warmup?: string;
  confidence?: string;
  precision?: string;
  maxRepeats?: string;
  maxTime?: string;
  out?: string;
  html?: string;
}

/** Flags of plain runs that a capacity search decides itself. */
const NOT_WITH_CAPACITY = ['stages', 'requests', 'threshold', 'model'];

const kebab = (flag: string) => flag.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

function invalid(message: string): TenonError {
  return new TenonError('TENON_LOAD_CAPACITY_INVALID', message, {
    hint: "e.g. tenon load URL --find-capacity --slo 'p99<100ms' --max-rate 2000 (see docs/load.md#capacity-search).",
  });
}

function positive(flag: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw invalid(`${flag} expects a positive ${integer ? 'whole ' : ''}number (got "${text}").`);
  return value;
}

/** `95`, `95%` or `0.95` → 0.95. */
function share(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const percent = text.trim().endsWith('%');
  const value = Number(percent ? text.trim().slice(0, -1) : text);
  if (!Number.isFinite(value) || value <= 0) throw invalid(`${flag} expects a percentage (got "${text}").`);
  return percent || value > 1 ? value / 100 : value;
}

/** The exit code of a search (docs/load.md#capacity-search). */
export function capacityExitCode(r: CapacityResult): ExitCodeValue {
  if (r.status === 'generator-saturated') return ExitCode.generatorSaturated;
  return r.capacity === null ? ExitCode.checkFailed : ExitCode.ok;
}

/**
 * `tenon load URL --find-capacity --slo EXPR --max-rate N`: the highest
 * rate that meets the SLO. `request` holds the options of the request
 * (URLs, method, headers, body, timeout, connections, workers, …).
 */
export async function runCapacityCommand(
  ctx: CliContext,
  command: Command,
  request: LoadOptions,
): Promise<void> {
  const flags = command.opts<CapacityFlags>();
  const clash = NOT_WITH_CAPACITY.filter((k) => command.getOptionValueSource(k) === 'cli');
  if (clash.length > 0)
    throw invalid(
      `--find-capacity does not take --${clash.map(kebab).join(', --')}: it sets the rate and the duration of each run itself, and holds them to --slo.`,
    );
  if (flags.slo === undefined && request.slo === undefined)
    throw new TenonError(
      'TENON_LOAD_SLO_INVALID',
      '--find-capacity needs --slo: the objective each rate must meet.',
      {
        hint: "e.g. --slo 'p99<100ms' or --slo 'p95<50ms,p99<200ms,errors<1%'.",
      },
    );
  if (flags.maxRate === undefined)
    throw invalid('--find-capacity needs --max-rate: the highest rate to try.');
  const out = flags.out === undefined ? undefined : checkOutputFile(ctx, '--out', flags.out);
  const html = flags.html === undefined ? undefined : checkOutputFile(ctx, '--html', flags.html);
  const {
    rate: _rate,
    duration: _duration,
    warmup: _warmup,
    thresholds: _thresholds,
    slo,
    stages: _stages,
    model: _model,
    requests: _requests,
    signal: _signal,
    onEvent: _onEvent,
    ...rest
  } = request;
  // The plain runs' default tolerance (20 % of the mean latency) is not the search's: unless given
  // on the command line, findCapacity judges lateness against the SLO's tightest limit.
  if (command.getOptionValueSource('maxLateness') !== 'cli') delete rest.maxLateness;
  const progress = ctx.progress();
  const result = await findCapacity({
    ...rest,
    slo: flags.slo ?? slo!,
    maxRate: positive('--max-rate', flags.maxRate)!,
    ...(flags.minRate !== undefined ? { minRate: positive('--min-rate', flags.minRate) } : {}),
    ...(flags.rate !== undefined ? { startRate: positive('--rate', flags.rate) } : {}),
    ...(command.getOptionValueSource('duration') === 'cli' ? { stepDuration: flags.duration } : {}),
    ...(command.getOptionValueSource('warmup') === 'cli' ? { warmup: flags.warmup } : {}),
    ...(flags.confidence !== undefined ? { confidence: share('--confidence', flags.confidence) } : {}),
    ...(flags.precision !== undefined ? { precision: share('--precision', flags.precision) } : {}),
    ...(flags.maxRepeats !== undefined
      ? { maxRepeats: positive('--max-repeats', flags.maxRepeats, true) }
      : {}),
    ...(flags.maxTime !== undefined ? { maxTime: flags.maxTime } : {}),
    signal: ctx.io.signal,
    onEvent: capacityProgress(progress),
  });
  progress.done();
  writeRunOutputs(ctx, { out, html }, result, () => renderCapacityReport(result));
  if (ctx.json) ctx.writeJson('tenon.load.capacity/v1', result);
  else ctx.out(renderCapacitySummary(result, ctx.outColors));
  ctx.exitCode = capacityExitCode(result);
}
