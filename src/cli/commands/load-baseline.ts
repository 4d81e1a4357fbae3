import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { TenonError } from '../../core/errors.js';
import type { LoadedBaseline, LoadResult, Tolerances } from '../../load/index.js';
import type { LoadOptions } from '../../load/load-options.js';
import { isLoopbackHost } from '../../load/signals/listening-processes.js';
import type { CliContext } from '../cli-context.js';
import { checkOutputFile } from './output-file.js';

interface BaselineFlags {
  saveBaseline?: string;
  compare?: string;
  tolerance?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The `tenon load` options `--save-baseline`, `--compare` and `--tolerance`. */
export function baselineOption(which: 'save' | 'compare' | 'tolerance'): Option {
  switch (which) {
    case 'save':
      return new Option(
        '--save-baseline <file>',
        'save this run (figures and HDR histograms) as a baseline file',
      );
    case 'compare':
      return new Option(
        '--compare <file>',
        'compare this run with a saved baseline; a regression beyond the tolerance exits 5',
      );
    case 'tolerance':
      return new Option(
        '--tolerance <spec>',
        "--compare: change tolerated before a figure regresses: '10%' (default), '2ms', 'p99=20%', 'rps=5%' (repeatable)",
      ).argParser(collect);
  }
}

/** What {@link prepareBaseline} checked before the run. */
export interface PreparedBaseline {
  savePath?: string;
  loaded?: LoadedBaseline;
  tolerances: Tolerances;
}

/**
 * Checks the baseline flags before the run: the file to save can be
 * written, the file to compare with exists and is a valid baseline, the
 * tolerances parse. A run of minutes must not end in "cannot read".
 * Null when the run neither saves nor compares a baseline.
 *
 * @throws TenonError `TENON_LOAD_OUTPUT_INVALID`, `TENON_LOAD_BASELINE_UNREADABLE`,
 *   `TENON_LOAD_BASELINE_INVALID`, `TENON_LOAD_OPTIONS_INVALID`
 */
export async function prepareBaseline(ctx: CliContext, command: Command): Promise<PreparedBaseline | null> {
  const flags = command.opts<BaselineFlags>();
  if (flags.tolerance !== undefined && flags.compare === undefined)
    throw new TenonError('TENON_LOAD_OPTIONS_INVALID', '--tolerance applies to --compare only.', {
      hint: 'Add --compare BASELINE_FILE, or drop --tolerance.',
    });
  // The baseline code (files, the block bootstrap) is loaded only by runs that use it.
  if (flags.saveBaseline === undefined && flags.compare === undefined) return null;
  const { parseTolerances, readBaselineFile } = await import('../../load/index.js');
  return {
    tolerances: parseTolerances(flags.tolerance ?? []),
    ...(flags.saveBaseline === undefined
      ? {}
      : { savePath: checkOutputFile(ctx, '--save-baseline', flags.saveBaseline) }),
    ...(flags.compare === undefined ? {} : { loaded: readBaselineFile(resolve(ctx.io.cwd, flags.compare)) }),
  };
}

/**
 * The run's options for a baseline run: against loopback URLs (on Linux),
 * the CPU of the processes listening on their ports and of their children
 * is sampled, so the comparison tells the target's own CPU from other load
 * on the machine. Other runs skip it: finding the listeners reads every
 * process's open files.
 */
export function withLocalTarget(options: LoadOptions): LoadOptions {
  let urls: URL[];
  try {
    urls = (options.urls ?? options.targets?.map((t) => t.url) ?? []).map((u) => new URL(u));
  } catch {
    return options; // runLoad reports the invalid URL
  }
  if (urls.length === 0 || !urls.every((u) => isLoopbackHost(u.hostname))) return options;
  const ports = [...new Set(urls.map((u) => Number(u.port || (u.protocol === 'https:' ? 443 : 80))))];
  return { ...options, signals: { ...options.signals, localTargetPorts: ports } };
}

/**
 * After the run: compares with the baseline (setting `result.comparison`,
 * and `result.status` to `regressed` on a regression unless a threshold
 * failed) and saves the new one. Returns the comparison's text for the terminal
 * (empty without --compare).
 *
 * @throws TenonError `TENON_LOAD_OUTPUT_FAILED` when the baseline cannot be written
 */
export async function applyBaseline(
  ctx: CliContext,
  prepared: PreparedBaseline | null,
  result: LoadResult,
): Promise<string> {
  if (prepared === null) return '';
  const { compareToBaseline, createBaseline, runHistograms } = await import('../../load/index.js');
  const histograms = runHistograms(result);
  if (!histograms) return '';
  if (prepared.loaded) {
    result.comparison = compareToBaseline(prepared.loaded, result, histograms, {
      tolerances: prepared.tolerances,
    });
    // The status follows the exit code's order (1 > 5 > 4): a CI job reading only `status`
    // must not see "pass" beside a regression.
    if (result.comparison.verdict === 'regressed' && result.status !== 'threshold-failed')
      result.status = 'regressed';
  }
  if (prepared.savePath) {
    try {
      writeFileSync(prepared.savePath, `${JSON.stringify(createBaseline(result, histograms))}\n`);
    } catch (cause) {
      throw new TenonError(
        'TENON_LOAD_OUTPUT_FAILED',
        `Cannot write ${prepared.savePath}: ${(cause as Error).message}`,
        {
          cause,
          hint: 'Check that the folder is writable.',
        },
      );
    }
    ctx.err(ctx.colors.dim(`Baseline written to ${prepared.savePath}\n`));
  }
  if (!result.comparison) return '';
  const { renderBaselineComparison } = await import('../output/baseline-comparison.js');
  return renderBaselineComparison(result.comparison, ctx.outColors);
}
