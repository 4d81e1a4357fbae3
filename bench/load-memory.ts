/**
 * Bench 3, memory: 5 million requests against nginx in one process, RSS
 * sampled when the 1st and each later million completes. Goal: growth
 * under 30 MB from the first to the last million (the generator keeps
 * per-second histograms only; totals are fixed-size HDR histograms).
 *
 *   flock /tmp/tenon-bench.lock npx tsx bench/load-memory.ts
 *   (BENCH_REQUESTS=5000000 to change the default; `--port N` or BENCH_PORT=N: nginx's port,
 *   default 18933)
 */
import { runLoad } from '../src/load/index.js';
import { numberFlag } from './support/args.js';
import { startNginx } from './support/nginx.js';
import { envInt } from './support/run.js';

const REQUESTS = envInt('BENCH_REQUESTS', 5_000_000);
const MILLION = 1_000_000;
/** nginx's port: `--port N`, else BENCH_PORT, else 18933. */
const PORT = numberFlag('port', envInt('BENCH_PORT', 18_933));

const nginx = await startNginx(PORT, 1);
const rssAt: { requests: number; rssMb: number; seconds: number }[] = [];
try {
  console.log(
    `bench 3: ${REQUESTS.toLocaleString('en-US')} requests, closed model, 50 connections, 1 worker; nginx on CPU 1`,
  );
  let next = MILLION;
  const started = Date.now();
  const result = await runLoad({
    urls: [nginx.url],
    requests: REQUESTS,
    connections: 50,
    workers: 1,
    onEvent: (e) => {
      if (e.type !== 'progress') return;
      const p = e.progress;
      while (p.requests >= next) {
        const rssMb = process.memoryUsage().rss / 2 ** 20;
        rssAt.push({ requests: next, rssMb, seconds: (Date.now() - started) / 1000 });
        console.log(
          `  ${(next / MILLION).toFixed(0)}M requests after ${((Date.now() - started) / 1000).toFixed(0)}s: RSS ${rssMb.toFixed(1)} MB`,
        );
        next += MILLION;
      }
    },
  });
  console.log(
    `  done: ${result.requests.total.toLocaleString('en-US')} requests (${result.requests.errors} errors), ${result.throughput.rps} req/s, ${result.series.length} seconds of series`,
  );
} finally {
  await nginx.stop();
}
const first = rssAt[0]!;
const last = rssAt.at(-1)!;
const growth = last.rssMb - first.rssMb;
console.log(
  `\nRSS growth from ${first.requests / MILLION}M to ${last.requests / MILLION}M requests: ${growth.toFixed(1)} MB (goal < 30 MB): ${growth < 30 ? 'met' : 'NOT met'}`,
);
