import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { TenonError } from '../../core/errors.js';
import { tenonVersion } from '../../core/version.js';
import type { LoadOptions } from '../../load/index.js';
import type { CliContext } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { renderLoadSummary } from '../output/load-summary.js';
import type { ActionFactory } from './action.js';
import { checkOutputFile, writeOutputFile, writeRunOutputs } from './output-file.js';

interface DistributedFlags {
  emitK8s?: string;
  parallelism?: string;
  image?: string;
  resultsClaim?: string;
  jobName?: string;
  plan?: string;
  shardIndex?: string;
  shardCount?: string;
  startAt?: string;
  resultJson?: string;
  workers?: string;
}

/** Adds the flags of distributed runs to `tenon load`. */
export function addDistributedOptions(command: Command): Command {
  return command
    .option(
      '--emit-k8s <dir>',
      'write a Kubernetes Indexed Job (and its ConfigMap) running this load over pods',
    )
    .option(
      '--parallelism <n>',
      'with --emit-k8s: pods (shards), each with its share of the rate or connections',
    )
    .option(
      '--start-at <time>',
      'common start of the shards: ISO 8601 or +DURATION from now (--emit-k8s: +5m)',
    )
    .option('--image <image>', 'with --emit-k8s: an image with tenon on PATH (default: Node.js + npx tenon)')
    .option('--results-claim <pvc>', 'with --emit-k8s: write shard results to this PersistentVolumeClaim')
    .option('--job-name <name>', 'with --emit-k8s: Job name (default tenon-load)')
    .option('--plan <file>', 'run one shard of a plan written by --emit-k8s (index: JOB_COMPLETION_INDEX)')
    .option('--shard-count <n>', 'run one shard of a run split in n (with --start-at)')
    .option('--shard-index <i>', 'the shard to run, 0-based (default: $JOB_COMPLETION_INDEX)')
    .option(
      '--result-json <file>',
      "shard runs: where to write the shard's result ('-': stdout, the default)",
    );
}

function whole(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) {
    throw new TenonError('TENON_LOAD_SHARD_INVALID', `${flag} expects a whole number (got "${text}").`, {
      hint: `e.g. ${flag} 4`,
    });
  }
  return n;
}

/** `2026-12-06T10:00:00Z` or `+90s` (from now). */
function startTime(text: string): Date {
  const relative = text.startsWith('+') ? parseDuration(text.slice(1)) : undefined;
  const at = relative !== undefined ? new Date(Date.now() + relative) : new Date(text);
  if (Number.isNaN(at.getTime())) {
    throw new TenonError('TENON_LOAD_SHARD_INVALID', `--start-at "${text}" is not a time.`, {
      hint: 'Give an ISO 8601 time (2026-12-06T10:00:00Z) or +DURATION from now (+2m).',
    });
  }
  return at;
}

function write(ctx: CliContext, path: string, text: string): void {
  writeOutputFile(ctx, path, text, 'TENON_LOAD_EMIT_FAILED');
}

/**
 * The load part, loaded when a distributed form runs: every `tenon load`
 * registers these flags, and a plain run should not pay for plans, shards
 * and merges at its start.
 */
const loadPart = () => import('../../load/index.js');

async function emitK8s(ctx: CliContext, flags: DistributedFlags, options: LoadOptions): Promise<void> {
  const { buildLoadPlan, checkShard, renderK8sJob, resolveLoadOptions, shardWorkerShares } = await loadPart();
  if (flags.parallelism === undefined) {
    throw new TenonError(
      'TENON_LOAD_SHARD_INVALID',
      '--emit-k8s needs --parallelism N (the number of pods).',
      {
        hint: 'e.g. --emit-k8s k8s-load --parallelism 4',
      },
    );
  }
  const count = checkShard(0, whole('--parallelism', flags.parallelism)).count;
  // One worker per pod unless told: pods scale out, and every pod must plan the same way.
  const resolved = resolveLoadOptions({ ...options, workers: options.workers ?? 1 });
  for (let index = 0; index < count; index++) shardWorkerShares(resolved, { index, count });
  const startAt = startTime(flags.startAt ?? '+5m');
  const plan = buildLoadPlan(resolved, count, startAt);
  const dir = resolve(ctx.io.cwd, flags.emitK8s!);
  const name = flags.jobName ?? 'tenon-load';
  const files = renderK8sJob({
    plan,
    name,
    version: tenonVersion(),
    image: flags.image,
    resultsClaim: flags.resultsClaim,
    workers: resolved.workers,
  });
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new TenonError('TENON_LOAD_EMIT_FAILED', `Cannot create ${dir}: ${(cause as Error).message}`, {
      cause,
      hint: 'Check the path and its permissions.',
    });
  }
  for (const [file, text] of Object.entries(files)) write(ctx, join(dir, file), text);
  const written = Object.keys(files).map((f) => join(dir, f));
  if (ctx.json) {
    ctx.writeJson('tenon.load.emit/v1', {
      dir,
      files: written,
      job: name,
      parallelism: count,
      startAt: plan.startAt,
    });
    return;
  }
  ctx.out(
    [
      `Wrote ${written.join(', ')}`,
      `${count} pods start together at ${plan.startAt}: apply before then.`,
      '',
      `  kubectl apply -f ${flags.emitK8s}`,
      `  kubectl wait --for=condition=complete job/${name} --timeout=30m`,
      flags.resultsClaim
        ? '  # copy shard-*.json from the volume, then:'
        : `  kubectl logs -l batch.kubernetes.io/job-name=${name} --tail=-1 --max-log-requests=${Math.max(5, count)} > shards.log`,
      `  tenon load merge ${flags.resultsClaim ? 'shard-*.json' : 'shards.log'}`,
      '',
    ].join('\n'),
  );
}

async function runShard(ctx: CliContext, flags: DistributedFlags, options: () => LoadOptions): Promise<void> {
  const { checkShard, parseLoadPlan, runLoadShard } = await loadPart();
  let input: LoadOptions;
  let count: number;
  let startAt: Date | undefined;
  if (flags.plan !== undefined) {
    const file = resolve(ctx.io.cwd, flags.plan);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new TenonError('TENON_LOAD_PLAN_INVALID', `Cannot read the plan ${file}.`, {
        cause,
        hint: 'In the Job, the ConfigMap mounts it at /etc/tenon/plan.json.',
      });
    }
    const plan = parseLoadPlan(text, file);
    input = { ...plan.options, signal: ctx.io.signal };
    count = plan.shardCount;
    startAt = flags.startAt === undefined ? plan.startAt : startTime(flags.startAt);
  } else {
    input = options();
    count = whole('--shard-count', flags.shardCount!);
    if (flags.startAt === undefined && count > 1) {
      throw new TenonError('TENON_LOAD_SHARD_INVALID', '--shard-count needs --start-at, the common start.', {
        hint: 'Give every shard the same --start-at, e.g. 2026-12-06T10:00:00Z.',
      });
    }
    startAt = flags.startAt === undefined ? undefined : startTime(flags.startAt);
  }
  const indexText = flags.shardIndex ?? ctx.io.env.JOB_COMPLETION_INDEX;
  if (indexText === undefined) {
    throw new TenonError(
      'TENON_LOAD_SHARD_INVALID',
      'Which shard is this? No --shard-index and no JOB_COMPLETION_INDEX.',
      {
        hint: 'Kubernetes sets JOB_COMPLETION_INDEX in an Indexed Job; elsewhere give --shard-index.',
      },
    );
  }
  const shard = checkShard(whole('--shard-index', indexText), count);
  const out = flags.resultJson ?? '-';
  if (out !== '-') checkOutputFile(ctx, '--result-json', out);
  const result = await runLoadShard(input, { shard, startAt });
  const line = `${JSON.stringify(result)}\n`;
  if (out === '-') ctx.io.stdout.write(line);
  else write(ctx, out, line);
  const s = result.summary;
  ctx.err(
    ctx.colors.dim(
      `shard ${shard.index}/${count}: ${s.requests} requests, ${s.errors} errors, p50 ${shardMs(s.p50)}, p99 ${shardMs(s.p99)} (merge for the verdict)\n`,
    ),
  );
}

/** A shard summary's latency: `—` when nothing succeeded (null). */
const shardMs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${ms} ms`);

/**
 * Handles the distributed forms of `tenon load`: `--emit-k8s` writes
 * manifests instead of running; `--plan` and `--shard-count` run one shard.
 *
 * @returns true when it handled the command
 */
export async function runDistributedCommand(
  ctx: CliContext,
  command: Command,
  options: () => LoadOptions,
): Promise<boolean> {
  // Flags that do not combine with a distributed run were refused by rejectFlagsOutsideMode.
  const flags = command.opts<DistributedFlags>();
  if (flags.emitK8s !== undefined) {
    await emitK8s(ctx, flags, options());
    return true;
  }
  if (flags.plan !== undefined || flags.shardCount !== undefined) {
    await runShard(ctx, flags, options);
    return true;
  }
  return false;
}

/** `tenon load merge RESULT…`: one exact result from the shards of a distributed run. */
export function registerLoadMergeCommand(load: Command, action: ActionFactory): void {
  load
    .command('merge')
    .description('merge the shard results of a distributed run exactly (histograms added, thresholds judged)')
    .argument('<results...>', 'shard result files (--result-json) or pod logs')
    .option('--out <file>', 'also write the merged JSON result to a file')
    .option('--html <file>', 'write a self-contained HTML report')
    .action(
      action(async (ctx, command, ...files) => {
        const flags = command.opts<{ out?: string; html?: string }>();
        if (flags.out) checkOutputFile(ctx, '--out', flags.out);
        if (flags.html) checkOutputFile(ctx, '--html', flags.html);
        const { MERGE_RESULT_SCHEMA, mergeShards, parseShardResults, renderLoadReport } = await loadPart();
        const inputs = files.flatMap((file) => {
          let text: string;
          try {
            text = readFileSync(resolve(ctx.io.cwd, file), 'utf8');
          } catch (cause) {
            throw new TenonError('TENON_LOAD_MERGE_UNREADABLE', `Cannot read ${file}.`, {
              cause,
              hint: 'Check the path; give every shard’s result file.',
            });
          }
          return parseShardResults(text, file).map((shard) => ({ file, shard }));
        });
        const { result, merge } = mergeShards(inputs);
        const document = { ...result, schema: MERGE_RESULT_SCHEMA, merge };
        writeRunOutputs(ctx, flags, document, () => renderLoadReport(result));
        if (ctx.json) ctx.writeJson(MERGE_RESULT_SCHEMA, document);
        else {
          ctx.out(
            `Merged ${merge.shards.length} shards (${merge.shards.reduce((s, x) => s + x.workers, 0)} workers; start skew ${merge.maxSkewMs} ms)\n\n`,
          );
          ctx.out(renderLoadSummary(result, ctx.outColors));
        }
        ctx.exitCode =
          result.status === 'threshold-failed'
            ? ExitCode.checkFailed
            : result.status === 'generator-saturated'
              ? ExitCode.generatorSaturated
              : ExitCode.ok;
      }),
    );
}
