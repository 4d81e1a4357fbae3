/**
 * Bench 2, open-model fidelity: tenon at 20,000 req/s against nginx (one
 * core each). Goal: achieved rate within 1 % of the target and generator
 * event-loop lag p99 under 1 ms. autocannon's rate limit (-R, the same
 * target) runs in the same rounds as the anchor: it reaches a rate too, but
 * measures latency from the actual send only.
 *
 *   flock /tmp/tenon-bench.lock npx tsx bench/load-open-model.ts
 *   (BENCH_ROUNDS=3 BENCH_SECONDS=10 BENCH_RATE=20000 to change the defaults)
 *   (`--port N` or BENCH_PORT=N: nginx's port, default 18932; another when that one is taken
 *   or outside the range a shared machine gives you)
 */
import type { LoadResult } from '../src/load/index.js';
import { numberFlag } from './support/args.js';
import { startNginx } from './support/nginx.js';
import { buildTenon, envInt, median, run, TENON } from './support/run.js';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
/** nginx's port: `--port N`, else BENCH_PORT, else the bench's own default. */
const PORT = numberFlag('port', envInt('BENCH_PORT', 18_932));
const SECONDS = envInt('BENCH_SECONDS', 10);
const RATE = envInt('BENCH_RATE', 20_000);

await buildTenon();
const nginx = await startNginx(PORT, 1);
// The floor this machine sets: the event-loop lag of an idle Node process on the generator's core.
const IDLE_LAG = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
setTimeout(() => { h.disable(); console.log(Math.max(0, h.percentile(99) / 1e6 - 1)); }, ${SECONDS} * 1000);
`;
const idleLag: number[] = [];
const tenon: {
  rps: number;
  sendRate: number;
  lagP99: number;
  late: number;
  p99: number;
  saturated: boolean;
}[] = [];
const autocannon: { rps: number; p99: number }[] = [];
try {
  console.log(
    `bench 2: open model at ${RATE} req/s for ${SECONDS}s, 1 worker on CPU 0, nginx on CPU 1, ${ROUNDS} rounds`,
  );
  for (let round = 1; round <= ROUNDS; round++) {
    const out = await run('taskset', [
      '-c',
      '0',
      ...TENON,
      'load',
      nginx.url,
      '--rate',
      String(RATE),
      '-d',
      `${SECONDS}s`,
      '--workers',
      '1',
      '--json',
    ]);
    const r = JSON.parse(out) as LoadResult;
    if (r.requests.ok !== r.requests.total) throw new Error(`tenon saw errors: ${JSON.stringify(r.errors)}`);
    const t = {
      rps: r.throughput.rps,
      sendRate: r.schedule!.sendRate,
      lagP99: r.generator.eventLoopLag.p99,
      late: r.schedule!.late,
      p99: r.latency.corrected.p99 ?? Number.NaN,
      saturated: r.generator.saturated,
    };
    tenon.push(t);
    console.log(
      `  round ${round}  tenon       achieved ${t.rps.toFixed(1)} req/s (sent ${t.sendRate}/s, ${((t.rps / RATE - 1) * 100).toFixed(2)}% off target) · lag p99 ${t.lagP99} ms · late sends ${t.late} · corrected p99 ${t.p99} ms${t.saturated ? ` · SATURATED: ${r.generator.reasons.join('; ')}` : ''}`,
    );
    const ac = JSON.parse(
      await run('taskset', [
        '-c',
        '0',
        process.execPath,
        'node_modules/autocannon/autocannon.js',
        '-c',
        '100',
        '-R',
        String(RATE),
        '-d',
        String(SECONDS),
        '-j',
        nginx.url,
      ]),
    ) as { requests: { total: number }; duration: number; latency: { p99: number } };
    const a = { rps: ac.requests.total / ac.duration, p99: ac.latency.p99 };
    autocannon.push(a);
    const floor = Number((await run('taskset', ['-c', '0', process.execPath, '-e', IDLE_LAG])).trim());
    idleLag.push(floor);
    console.log(
      `  round ${round}  idle Node process on the same core: event-loop lag p99 ${floor.toFixed(3)} ms`,
    );
    console.log(
      `  round ${round}  autocannon  achieved ${a.rps.toFixed(1)} req/s (${((a.rps / RATE - 1) * 100).toFixed(2)}% off target) · p99 ${a.p99} ms (from the actual send, uncorrected)`,
    );
  }
} finally {
  await nginx.stop();
}
const rps = median(tenon.map((t) => t.rps));
const lag = median(tenon.map((t) => t.lagP99));
console.log(
  `\nmedian tenon: ${rps.toFixed(1)} req/s = ${((rps / RATE) * 100).toFixed(2)}% of target (goal within 1%): ${Math.abs(rps / RATE - 1) <= 0.01 ? 'met' : 'NOT met'}`,
);
console.log(
  `median tenon event-loop lag p99: ${lag} ms (goal < 1 ms): ${lag < 1 ? 'met' : 'NOT met'}; an idle Node process on the same core: ${median(idleLag).toFixed(3)} ms`,
);
console.log(
  `median autocannon -R: ${median(autocannon.map((a) => a.rps)).toFixed(1)} req/s; tenon/autocannon achieved-rate ratio ${(rps / median(autocannon.map((a) => a.rps))).toFixed(3)}`,
);
