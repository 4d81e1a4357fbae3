import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { TenonError } from '../../core/errors.js';
// The modules a plain run needs, not the part's index: the index also loads scenarios, the capacity
// search, baselines, distributed runs and the HTML report, which a plain run loads only when asked.
import { parseHeaderLines } from '../../load/http-request.js';
import type { LoadOptions } from '../../load/load-options.js';
import type { LoadResult } from '../../load/load-result.js';
import { runLoad } from '../../load/run-load.js';
import type { SignalOptions } from '../../load/signals/signal-recorder.js';
import type { CliContext } from '../cli-context.js';
import { commandConfig } from '../command-config.js';
import { ExitCode } from '../exit-codes.js';
import { loadProgress } from '../output/load-progress.js';
import { renderLoadSummary } from '../output/load-summary.js';
import type { ActionFactory } from './action.js';
import { applyBaseline, baselineOption, prepareBaseline, withLocalTarget } from './load-baseline.js';
import {
  addDistributedOptions,
  registerLoadMergeCommand,
  runDistributedCommand,
} from './load-distributed.js';
import { loadMode, rejectFlagsOutsideMode } from './load-modes.js';
import { checkOutputFile, writeRunOutputs } from './output-file.js';

type DbSamplerFactory = typeof import('../../analyze/index.js').createDbSignalSampler;

interface LoadFlags {
  rate?: string;
  connections?: string;
  duration?: string;
  requests?: string;
  method: string;
  header?: string[];
  body?: string;
  bodyFile?: string;
  timeout?: string;
  stages?: string;
  warmup?: string;
  workers?: string;
  model?: 'open' | 'closed';
  threshold?: string[];
  slo?: string;
  maxLateness?: string;
  expectStatus?: string[];
  out?: string;
  html?: string;
  findCapacity?: boolean;
  db?: string;
  pid?: string;
  metrics?: string;
}

/** Flags that only a capacity search reads. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

function number(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TenonError(
      'TENON_LOAD_OPTIONS_INVALID',
      `${flag} expects a positive ${integer ? 'whole ' : ''}number (got "${text}").`,
      {
        hint: `e.g. ${flag} ${integer ? '100' : '2000'}`,
      },
    );
  }
  return value;
}

function statuses(list: string[]): number[] {
  return list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 100 || n > 599) {
        throw new TenonError('TENON_LOAD_OPTIONS_INVALID', `--expect-status: "${s}" is not an HTTP status.`, {
          hint: 'List statuses like --expect-status 200,201,204.',
        });
      }
      return n;
    });
}

/**
 * Builds the {@link runLoad} options: the resolved `load` settings (flags >
 * environment > config file > defaults, one schema) and the flags that are
 * not settings.
 */
function loadOptions(
  ctx: CliContext,
  command: Command,
  urls: string[],
  dbSampler: DbSamplerFactory | undefined,
): LoadOptions {
  const flags = command.opts<LoadFlags>();
  const config = commandConfig(ctx, command, [
    { option: 'duration', path: 'load.duration' },
    { option: 'timeout', path: 'load.timeout' },
    { option: 'connections', path: 'load.connections' },
    { option: 'workers', path: 'load.workers' },
    { option: 'warmup', path: 'load.warmup' },
    { option: 'threshold', path: 'load.thresholds' },
    { option: 'slo', path: 'load.slo' },
    { option: 'maxLateness', path: 'load.maxLateness' },
  ]).load;
  let body: string | Uint8Array | undefined = flags.body;
  if (flags.bodyFile !== undefined) {
    if (body !== undefined) {
      throw new TenonError('TENON_LOAD_OPTIONS_INVALID', 'Give --body or --body-file, not both.', {
        hint: 'Use --body for short inline bodies and --body-file for files.',
      });
    }
    try {
      body = readFileSync(resolve(ctx.io.cwd, flags.bodyFile));
    } catch (cause) {
      throw new TenonError('TENON_LOAD_REQUEST_INVALID', `Cannot read --body-file ${flags.bodyFile}.`, {
        cause,
        hint: 'Check the path; it is relative to the working directory.',
      });
    }
  }
  return {
    ...config,
    urls,
    model: flags.model,
    rate: number('--rate', flags.rate, false),
    requests: number('--requests', flags.requests, true),
    method: flags.method,
    headers: parseHeaderLines(flags.header ?? []),
    body,
    stages: flags.stages,
    expectStatus: statuses(flags.expectStatus ?? []),
    signal: ctx.io.signal,
    signals: signalOptions(ctx, flags, dbSampler),
  };
}

/** `--db`, `--pid`, `--metrics`: what to sample on the server side (undefined: nothing). */
function signalOptions(
  ctx: CliContext,
  flags: LoadFlags,
  dbSampler: DbSamplerFactory | undefined,
): SignalOptions | undefined {
  if (flags.db === undefined && flags.pid === undefined && flags.metrics === undefined) return undefined;
  if (flags.db !== undefined && !/^postgres(ql)?:\/\//i.test(flags.db)) {
    throw new TenonError(
      'TENON_LOAD_OPTIONS_INVALID',
      `--db expects a postgres:// URL (got "${flags.db}").`,
      {
        hint: 'The embedded database (PGlite) lives inside the app’s process and cannot be opened from another one; sample it through the library (runLoad({ signals: { db: createDbSignalSampler({ db }) } })).',
      },
    );
  }
  if (flags.metrics !== undefined && !/^https?:\/\//i.test(flags.metrics)) {
    throw new TenonError(
      'TENON_LOAD_OPTIONS_INVALID',
      `--metrics expects an http:// URL (got "${flags.metrics}").`,
      {
        hint: 'e.g. --metrics http://127.0.0.1:3000/metrics',
      },
    );
  }
  return {
    db: flags.db === undefined ? undefined : dbSampler!({ db: flags.db, cwd: ctx.io.cwd }),
    pid: number('--pid', flags.pid, true),
    metricsUrl: flags.metrics,
  };
}

/** `tenon load URL… [flags]`: an HTTP load test with honest latency and CI thresholds. */
export function registerLoadCommand(program: Command, action: ActionFactory): void {
  const load = program.command('load');
  registerLoadMergeCommand(load, action);
  addDistributedOptions(load)
    .description('load-test HTTP endpoints: open or closed model, corrected latency, thresholds for CI')
    .argument('[urls...]', 'one or more http:// URLs (the load is split evenly, results side by side)')
    .option(
      '--scenario <file>',
      'run the user flows of a scenario file (.ts, .js, .yaml, .json) instead of URLs',
    )
    .option('--vus <n>', 'scenario: virtual users (closed model; open model: set up before measuring)')
    .option('--max-vus <n>', 'scenario, open model: most virtual users at once (default 1000)')
    .option('--rate <n>', 'open model: requests per second over all URLs')
    .option(
      '-c, --connections <n>',
      'closed model: connections; open model: connection cap (default 50 / 1024)',
    )
    .option('-d, --duration <duration>', 'measured duration, e.g. 30s (default 10s)')
    .option('-n, --requests <n>', 'stop after this many requests')
    .option('-m, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collect)
    .option('--body <text>', 'request body')
    .option('--body-file <file>', 'request body from a file')
    .option('--timeout <duration>', 'per request and per connection attempt (default 10s)')
    .option('--stages <stages>', 'ramp, e.g. 10s:100,30s:1000,10s:0 (rates; connections with --model closed)')
    .option('--warmup <duration>', 'load before measuring, not recorded (default 0)')
    .option('--workers <n>', 'worker threads (default: all cores but one, at least 1)')
    .addOption(
      new Option('--model <model>', 'open (with --rate/--stages) or closed (default without)').choices([
        'open',
        'closed',
      ]),
    )
    .option(
      '--threshold <expr>',
      "fail (exit 1) unless met: 'p99<200ms', 'errors<0.1%', 'rps>500' (repeatable)",
      collect,
    )
    .option(
      '--slo <slo>',
      "service-level objectives: 'default' (a preset) or thresholds like 'p99<100ms,errors<1%'; with --find-capacity, what every rate must meet",
    )
    .option(
      '--find-capacity',
      'search for the highest rate that meets --slo (open model, repeated runs per rate)',
    )
    .option('--max-rate <n>', 'capacity search: the highest rate to try (required)')
    .option('--min-rate <n>', 'capacity search: the lowest rate to try (default: the start rate / 16)')
    .option('--confidence <pct>', 'capacity search: confidence each decision needs (default 95%)')
    .option('--precision <pct>', 'capacity search: stop when the bracket is this narrow (default 10%)')
    .option('--max-repeats <n>', 'capacity search: most runs at one rate (default 5)')
    .option('--max-time <duration>', 'capacity search: time budget of the whole search (default 10m)')
    .option(
      '--max-lateness <tolerance>',
      "open model: the generator's own delay tolerated, as a share of the mean corrected latency (default 20%) or per request (5ms)",
    )
    .option(
      '--expect-status <list>',
      'statuses that count as success, e.g. 200,201 (default: < 400)',
      collect,
    )
    .option(
      '--db <url>',
      "sample the target's database during the run (postgres:// URL; read-only, one connection)",
    )
    .option('--pid <pid>', "sample a local target process's CPU from /proc")
    .option('--metrics <url>', "scrape the target's Prometheus endpoint once per second")
    .option('--out <file>', 'also write the JSON result to a file')
    .option('--html <file>', 'write a self-contained HTML report')
    .addOption(baselineOption('save'))
    .addOption(baselineOption('compare'))
    .addOption(baselineOption('tolerance'))
    .action(
      action(async (ctx, command, ...urls) => {
        const mode = loadMode(command);
        rejectFlagsOutsideMode(command, mode);
        // The database sampler brings in the analyze part (SQL parser, pg): loaded only for --db, it
        // keeps ~0.1 s of CPU out of every other run's start.
        const dbSampler =
          command.opts<LoadFlags>().db === undefined
            ? undefined
            : (await import('../../analyze/index.js')).createDbSignalSampler;
        const optionsOf = () => loadOptions(ctx, command, urls, dbSampler);
        if (await runDistributedCommand(ctx, command, optionsOf)) return;
        if (mode === 'scenario') {
          const { runScenarioCommand } = await import('./load-scenario.js');
          await runScenarioCommand(
            ctx,
            command,
            urls,
            signalOptions(ctx, command.opts<LoadFlags>(), dbSampler),
          );
          return;
        }
        if (urls.length === 0)
          throw new TenonError('TENON_CLI_USAGE', "missing required argument 'urls'", {
            hint: 'Give one or more http:// URLs, or --scenario FILE.',
          });
        const options = optionsOf();
        const flags = command.opts<LoadFlags>();
        if (mode === 'capacity') {
          const { runCapacityCommand } = await import('./load-capacity.js');
          await runCapacityCommand(ctx, command, options);
          return;
        }
        if (flags.out) checkOutputFile(ctx, '--out', flags.out);
        if (flags.html) checkOutputFile(ctx, '--html', flags.html);
        const baseline = await prepareBaseline(ctx, command);
        const renderHtml = flags.html
          ? (await import('../../load/report/html-report.js')).renderLoadReport
          : null;
        const progress = ctx.progress();
        const result: LoadResult = await runLoad({
          ...(baseline ? withLocalTarget(options) : options),
          onEvent: loadProgress(progress),
        });
        progress.done();
        const comparison = await applyBaseline(ctx, baseline, result);
        writeRunOutputs(ctx, flags, result, () => renderHtml!(result));
        if (ctx.json) ctx.writeJson('tenon.load/v1', result);
        else ctx.out(renderLoadSummary(result, ctx.outColors) + comparison);
        // A failed threshold (1) > a baseline regression (5) > a saturated generator (4) (docs/load.md).
        ctx.exitCode =
          result.status === 'threshold-failed'
            ? ExitCode.checkFailed
            : result.status === 'regressed'
              ? ExitCode.baselineRegressed
              : result.status === 'generator-saturated'
                ? ExitCode.generatorSaturated
                : ExitCode.ok;
      }),
    );
}
