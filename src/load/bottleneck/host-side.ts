import type { ServerSignals } from '../../core/signals/server-signals.js';
import type { LoadResult } from '../load-result.js';
import type { Bottleneck } from './bottleneck.js';
import {
  type CpuHolder,
  describeHolders,
  describeHost,
  HOLDER_SHARE,
  hostCpuFigures,
  hostEvidence,
} from './host-cpu-figures.js';
import { ms, oneLine, pct, shellQuote } from './verdict-text.js';

/** The run's figures this part of the verdict reads. */
type HostVerdictInput = Pick<LoadResult, 'generator' | 'latency' | 'requests'>;
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const WHO_HOLDS = 'top -b -n 1 -o %CPU | head -20 (who holds the CPUs), or pidstat 1 during the run';

function withHost(
  b: Bottleneck,
  sentence: string,
  evidence: Record<string, number>,
  score: number,
): Bottleneck {
  return {
    ...b,
    score: Math.max(b.score, score),
    message: `${b.message} ${sentence}`,
    evidence: { ...b.evidence, ...evidence },
  };
}

/** The database holds a saturated machine: named `database`, with its CPU share as evidence. */
function databaseCpu(
  r: HostVerdictInput,
  signals: ServerSignals,
  db: CpuHolder,
  host: string,
  holders: string,
  evidence: Record<string, number>,
  existing: Bottleneck | undefined,
): Bottleneck {
  const score = Math.min(0.9, 0.5 + HOLDER_SHARE * db.share);
  const cpu = { ...evidence, dbCpuCores: db.cores, dbCpuSharePct: pct(db.share) };
  const sentence = `The machine was saturated (${host}) and the database server's processes held ${db.cores} cores of it (${pct(db.share)}%: ${holders}).`;
  const d = signals.db!;
  const busiest = d.cpu.postmasterPid
    ? [`ps -o pid,pcpu,etime,args --ppid ${d.cpu.postmasterPid} --sort=-pcpu | head (its busiest backends)`]
    : [];
  if (existing) {
    const withCpu = withHost(existing, sentence, cpu, score);
    return { ...withCpu, dig: [...withCpu.dig, ...busiest] };
  }
  const url = shellQuote(d.url);
  const top = d.statements?.top[0];
  // 0 when nothing succeeded: every use below asks for service > 0.
  const service = r.latency.service.mean ?? 0;
  const dbMs = d.statements && r.requests.total > 0 ? d.statements.totalMs / r.requests.total : undefined;
  const inStatements =
    dbMs !== undefined && service > 0
      ? ` Statements take ${ms(dbMs)} of the ${ms(service)} each request spends on the server (${pct(Math.min(1, dbMs / service))}%); the rest goes to the app and to waiting for a core.`
      : '';
  return {
    kind: 'database',
    score,
    message: `The database's CPU: ${lower(sentence)}${inStatements}${top ? ` The heaviest statement is ${pct(top.sharePct / 100)}% of statement time (${top.calls} calls, mean ${ms(top.meanMs)}): ${oneLine(top.query)}` : ''}`,
    evidence: {
      ...cpu,
      ...(dbMs !== undefined ? { dbMsPerRequest: Math.round(dbMs * 100) / 100, serviceMeanMs: service } : {}),
      ...(top
        ? { topSharePct: top.sharePct, topCalls: top.calls, topMeanMs: top.meanMs, topQueryId: top.queryId }
        : {}),
    },
    ...(top ? { statement: top } : {}),
    dig: [
      ...(top ? [`tenon db explain ${shellQuote(oneLine(top.query, 100_000))} --database-url ${url}`] : []),
      `tenon db suggest-indexes --database-url ${url}`,
      ...busiest,
    ],
  };
}

/**
 * Reads the machine's CPU into the verdict. On a saturated machine (its
 * CPUs ≥ 85 % busy on average) every latency includes waiting for a core,
 * so the verdict names who holds them: the database server (`database`,
 * with its CPU share) and the app (`app-cpu`) when one holds ≥ 35 % of the
 * busy cores, else `host-cpu` (other processes, or tenon itself). A late
 * generator on such a machine is reworded and ranked below: it is late
 * because it gets too little CPU, not because it is the limit. Candidates
 * already named get the machine's figures as evidence.
 */
export function applyHostCpu(
  r: HostVerdictInput,
  signals: ServerSignals,
  candidates: Bottleneck[],
): Bottleneck[] {
  const f = hostCpuFigures(signals, r.generator.cpuCores);
  if (!f) return candidates;
  const evidence = hostEvidence(f);
  const host = describeHost(f);
  const holders = describeHolders(f);
  // The --pid reading (the app's thread waited for a CPU) gets the machine's figures beside it.
  const augmented = (list: Bottleneck[]) =>
    list.map((b) =>
      b.kind === 'host-cpu' ? withHost(b, `The machine: ${host}; ${holders}.`, evidence, 0) : b,
    );
  if (!f.saturated) return augmented(candidates);
  let out = candidates;
  const find = (kind: Bottleneck['kind']) => out.find((b) => b.kind === kind);
  const replace = (b: Bottleneck) => [...out.filter((c) => c.kind !== b.kind), b];
  const named = f.holders.filter(
    (h) => h.share >= HOLDER_SHARE && (h.who === 'app' || (h.who === 'database' && signals.db)),
  );
  const generatorHolds = f.holders.find((h) => h.who === 'generator' && h.share >= HOLDER_SHARE);
  const unknown = f.unknown.length ? ` Not attributed: ${f.unknown.join('; ')}.` : '';

  for (const holder of named) {
    if (holder.who === 'database') {
      out = replace(databaseCpu(r, signals, holder, host, holders, evidence, find('database')));
      continue;
    }
    const sentence = `The machine was saturated (${host}) and the app held ${holder.cores} cores of it (${pct(holder.share)}%: ${holders}).`;
    const score = Math.min(0.9, 0.5 + HOLDER_SHARE * holder.share);
    const existing = find('app-cpu');
    out = replace(
      existing
        ? withHost(existing, sentence, { ...evidence, appCpuSharePct: pct(holder.share) }, score)
        : {
            kind: 'app-cpu',
            score,
            message: `The app's CPU: ${lower(sentence)}`,
            evidence: { ...evidence, appCpuSharePct: pct(holder.share) },
            dig: [
              'node --cpu-prof (or --prof) on the server under the same load: the hot handler is on top',
              WHO_HOLDS,
            ],
          },
    );
  }
  if (named.length > 0) {
    out = augmented(out);
  } else {
    const by = generatorHolds
      ? `the load generator itself held ${generatorHolds.cores} cores (${pct(generatorHolds.share)}%): at this load it competes with the target for the CPUs`
      : f.unknown.length === 0
        ? 'neither the app nor the database holds a large share: other processes on this machine do'
        : 'no process tenon can see holds a large share';
    const sentence = `The machine's CPUs are saturated: ${host}; ${by} (${holders}).${unknown} Every latency here includes waiting for a core.`;
    const score = Math.min(0.9, 0.5 + 0.4 * f.busy);
    const existing = find('host-cpu');
    out = replace(
      existing
        ? {
            ...existing,
            score: Math.max(existing.score, score),
            message: `${sentence} ${existing.message}`,
            evidence: { ...existing.evidence, ...evidence },
          }
        : {
            kind: 'host-cpu',
            score,
            message: sentence,
            evidence,
            dig: [
              WHO_HOLDS,
              'run the generator on another machine (or pin the target and the generator to separate cores with taskset), or stop the other work, and measure again',
            ],
          },
    );
  }
  const generator = find('generator');
  if (generator && !generatorHolds) {
    out = replace({
      ...generator,
      // Below the machine's verdict: its lateness follows from the saturation.
      score: Math.min(generator.score, 0.6),
      message: `${generator.message} The machine was saturated (${host}; ${holders}): the generator is late because it gets too little CPU, not necessarily because it is the limit.`,
      evidence: { ...generator.evidence, ...evidence },
    });
  }
  return out;
}
