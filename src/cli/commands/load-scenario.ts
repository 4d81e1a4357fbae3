import { resolve } from 'node:path';
import type { Command } from 'commander';
import { TenonError } from '../../core/errors.js';
import { loadScenarioFile, renderScenarioReport, runScenario, type SignalOptions } from '../../load/index.js';
import type { CliContext } from '../cli-context.js';
import { commandConfig } from '../command-config.js';
import { ExitCode } from '../exit-codes.js';
import { renderScenarioSummary, scenarioProgress } from '../output/scenario-summary.js';
import { checkOutputFile, writeRunOutputs } from './output-file.js';

/** The `tenon load` flags a scenario run reads. */
interface ScenarioFlags {
  scenario: string;
  rate?: string;
  vus?: string;
  maxVus?: string;
  duration?: string;
  requests?: string;
  timeout?: string;
  model?: 'open' | 'closed';
  threshold?: string[];
  out?: string;
  html?: string;
}

/** Flags of plain runs that a scenario describes itself (or that do not apply to it). */
const PLAIN_ONLY = [
  'method',
  'header',
  'body',
  'bodyFile',
  'stages',
  'warmup',
  'workers',
  'slo',
  'expectStatus',
  'connections',
];

function positive(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new TenonError(
      'TENON_LOAD_OPTIONS_INVALID',
      `${flag} expects a positive ${integer ? 'whole ' : ''}number (got "${text}").`,
      {
        hint: `e.g. ${flag} ${integer ? '20' : '50'}`,
      },
    );
  return value;
}

/**
 * `tenon load --scenario FILE`: runs the user flows of a scenario file.
 * Flags given win over the file's `load` section.
 */
export async function runScenarioCommand(
  ctx: CliContext,
  command: Command,
  urls: readonly string[],
  signals: SignalOptions | undefined,
): Promise<void> {
  const flags = command.opts<ScenarioFlags>();
  const { maxLateness } = commandConfig(ctx, command, [
    { option: 'maxLateness', path: 'load.maxLateness' },
  ]).load;
  if (urls.length > 0)
    throw new TenonError('TENON_LOAD_OPTIONS_INVALID', 'Give URLs or --scenario, not both.', {
      hint: 'A scenario names its URLs itself (baseUrl and step urls).',
    });
  const given = PLAIN_ONLY.filter((k) => command.getOptionValueSource(k) === 'cli');
  if (given.length > 0)
    throw new TenonError(
      'TENON_LOAD_OPTIONS_INVALID',
      `--scenario does not take --${given.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')}.`,
      {
        hint: 'Methods, headers and bodies belong to the steps of the scenario; use --vus for users (not -c).',
      },
    );
  const out = flags.out === undefined ? undefined : checkOutputFile(ctx, '--out', flags.out);
  const html = flags.html === undefined ? undefined : checkOutputFile(ctx, '--html', flags.html);
  const loaded = await loadScenarioFile(resolve(ctx.io.cwd, flags.scenario));
  const progress = ctx.progress();
  const result = await runScenario({
    scenario: loaded,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.rate !== undefined ? { rate: positive('--rate', flags.rate, false) } : {}),
    ...(flags.vus !== undefined ? { vus: positive('--vus', flags.vus, true) } : {}),
    ...(flags.maxVus !== undefined ? { maxVus: positive('--max-vus', flags.maxVus, true) } : {}),
    ...(flags.requests !== undefined ? { iterations: positive('--requests', flags.requests, true) } : {}),
    ...(flags.duration !== undefined ? { duration: flags.duration } : {}),
    ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
    thresholds: flags.threshold ?? [],
    ...(maxLateness !== undefined ? { maxLateness } : {}),
    ...(signals ? { signals } : {}),
    signal: ctx.io.signal,
    onEvent: scenarioProgress(progress),
  });
  progress.done();
  writeRunOutputs(ctx, { out, html }, result, () => renderScenarioReport(result));
  if (ctx.json) ctx.writeJson('tenon.load.scenario/v1', result);
  else ctx.out(renderScenarioSummary(result, ctx.outColors));
  // As for plain runs: a failed threshold (1) outranks a saturated generator (4).
  ctx.exitCode =
    result.status === 'pass'
      ? ExitCode.ok
      : result.status === 'generator-saturated'
        ? ExitCode.generatorSaturated
        : ExitCode.checkFailed;
}
