import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAX_LATENCY_US } from '../../src/load/histogram.js';
import { mergeShards, type ShardInput } from '../../src/load/merge-shards.js';
import { parseShardResults, type ShardResult } from '../../src/load/shard-result.js';
import { runTenon, spawnTenonAndWait } from '../support/cli.js';
import { startHttpServer, type TestServer } from '../support/load-servers.js';

/**
 * A distributed run as Kubernetes would run it: `--emit-k8s` writes the
 * Job and its ConfigMap, and N processes run the ConfigMap's plan, each
 * told its shard by JOB_COMPLETION_INDEX only. Their results are merged.
 */
const SHARDS = 4;
const work = mkdtempSync(join(tmpdir(), 'tenon-distributed-'));
let server: TestServer;
let shards: ShardInput[];

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

beforeAll(async () => {
  // Every 7th request waits 6 ms: a spread of latencies, so percentiles mean something.
  server = await startHttpServer((_req, res, n) => {
    const send = () => res.end('ok');
    if (n % 7 === 0) setTimeout(send, 6);
    else send();
  });
  // The shards must be ready before the common start; how long 4 processes take to start here
  // depends on the machine's load, so measure it rather than guess.
  const t0 = Date.now();
  await Promise.all([0, 1].map(() => spawnTenonAndWait(['load', '--help'])));
  const leadS = Math.ceil(((Date.now() - t0) * 2) / 1000) + 3;
  const emitted = await runTenon(
    [
      'load',
      server.url,
      '--rate',
      '400',
      '-d',
      '2s',
      '--emit-k8s',
      'k8s',
      '--parallelism',
      String(SHARDS),
      '--start-at',
      `+${leadS}s`,
      '--threshold',
      'p99<1s',
    ],
    { cwd: work },
  );
  expect(emitted.code, emitted.stderr).toBe(0);
  const configMap = parse(readFileSync(join(work, 'k8s', 'configmap.yaml'), 'utf8'));
  writeFileSync(join(work, 'plan.json'), configMap.data['plan.json']);
  const runs = await Promise.all(
    Array.from({ length: SHARDS }, (_, i) =>
      spawnTenonAndWait(['load', '--plan', 'plan.json', '--result-json', '-'], {
        cwd: work,
        env: { JOB_COMPLETION_INDEX: String(i) },
      }),
    ),
  );
  shards = runs.map((run, i) => {
    expect(run.code, run.stderr).toBe(0);
    writeFileSync(join(work, `shard-${i}.log`), `${run.stderr}${run.stdout}`);
    return { file: `shard-${i}.log`, shard: parseShardResults(run.stdout, `shard-${i}`)[0]! };
  });
}, 180_000);

/** The histogram a single process would have built: hdr-histogram-js decodes each shard's totals and adds them. */
function reference(which: 'corrected' | 'service'): hdr.Histogram {
  const all = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_LATENCY_US,
    bitBucketSize: 64,
  });
  for (const { shard } of shards) all.add(hdr.decodeFromCompressedBase64(shard.histograms[which], 64));
  return all;
}

/** The exact largest latency over all shards, from their intervals. */
function exactMaxUs(shardList: ShardResult[], which: 'corrected' | 'service'): number {
  return Math.max(
    ...shardList.flatMap((s) =>
      s.intervals.flatMap((i) =>
        i.targets.map((t) => (which === 'corrected' ? t.corrected! : t.service).max),
      ),
    ),
  );
}

describe('a distributed run over 4 processes', () => {
  it('each shard ran its share of the schedule, on one time axis', () => {
    expect(shards.map((s) => s.shard.shard.index)).toEqual([0, 1, 2, 3]);
    // 800 requests in the schedule: 200 each (the rate divides evenly here; shard.test.ts covers the rest).
    expect(shards.map((s) => s.shard.shard.scheduleCount)).toEqual([200, 200, 200, 200]);
    // Started together: the merge shifts no shard's seconds.
    expect(mergeShards(shards).merge.shards.map((s) => s.offsetSeconds)).toEqual([0, 0, 0, 0]);
  });

  it('merges exactly: the merged percentiles are those of one histogram of all samples', () => {
    const { result, merge } = mergeShards(shards);
    expect(merge.shards).toHaveLength(SHARDS);
    const shardTotal = shards.reduce((s, x) => s + x.shard.summary.requests!, 0);
    expect(result.requests.total).toBe(shardTotal);
    expect(result.requests.total).toBe(800);
    for (const which of ['corrected', 'service'] as const) {
      const ref = reference(which);
      const maxUs = exactMaxUs(
        shards.map((s) => s.shard),
        which,
      );
      const at = (p: number) => Math.round(Math.min(ref.getValueAtPercentile(p), maxUs)) / 1000;
      const merged = result.latency[which];
      expect(merged.count).toBe(ref.totalCount);
      expect([merged.p50, merged.p90, merged.p95, merged.p99, merged.p999, merged.max]).toEqual([
        at(50),
        at(90),
        at(95),
        at(99),
        at(99.9),
        maxUs / 1000,
      ]);
    }
    // Thresholds and the default checks are judged on the merge.
    expect(result.thresholds.map((t) => [t.expression, t.source])).toEqual([
      ['p99<1s', 'user'],
      ['errors<0.1%', 'default'],
      ['ok>0', 'default'],
    ]);
    // Per-second series: the shards' seconds line up, each second sums the four.
    const seconds = result.series.filter((p) => !p.partial);
    expect(seconds.length).toBeGreaterThanOrEqual(2);
    for (const point of seconds) {
      const second = Math.round(point.second - 1);
      const sum = shards.reduce(
        (s, x) =>
          s +
          x.shard.intervals
            .filter((i) => i.second === second)
            .reduce((a, i) => a + i.targets.reduce((b, t) => b + t.responses, 0), 0),
        0,
      );
      expect(point.requests).toBe(sum);
    }
  });

  it('tenon load merge reads pod logs and prints the merged verdict', async () => {
    const run = await runTenon(['load', 'merge', ...shards.map((s) => s.file), '--json'], { cwd: work });
    expect([0, 4], run.stderr).toContain(run.code);
    const doc = JSON.parse(run.stdout);
    expect(doc.schema).toBe('tenon.load.merge/v1');
    expect(doc.requests.total).toBe(800);
    expect(doc.merge.shards.map((s: { index: number }) => s.index)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a missing shard, a shard given twice, another plan, and a corrupt file', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'none';
    };
    expect(code(() => mergeShards(shards.slice(0, 3)))).toBe('TENON_LOAD_MERGE_INCOMPLETE');
    expect(code(() => mergeShards([...shards.slice(0, 3), shards[0]!]))).toBe('TENON_LOAD_MERGE_INCOMPLETE');
    const other = structuredClone(shards[3]!);
    other.shard.plan.rate = 500;
    expect(code(() => mergeShards([...shards.slice(0, 3), other]))).toBe('TENON_LOAD_MERGE_MISMATCH');
    const edited = structuredClone(shards[1]!);
    const interval = edited.shard.intervals.find((i) => i.targets[0]!.service.counts.length > 0)!;
    interval.targets[0]!.service.counts[0]! += 5;
    expect(code(() => mergeShards([shards[0]!, edited, ...shards.slice(2)]))).toBe(
      'TENON_LOAD_MERGE_UNREADABLE',
    );
    const truncated = readFileSync(join(work, shards[2]!.file), 'utf8').slice(0, 5000);
    expect(code(() => parseShardResults(truncated, 'cut.log'))).toBe('TENON_LOAD_MERGE_UNREADABLE');
  });
});
