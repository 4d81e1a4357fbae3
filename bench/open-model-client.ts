/**
 * A small fixed-rate (open model) HTTP client for bench/generated-app.ts,
 * used until `tenon load` is available on main: it sends requests on a
 * fixed schedule whatever the server does, and measures each latency from
 * the request's *scheduled* time, so a stalled server shows up in the
 * percentiles instead of slowing the client down (no coordinated omission).
 *
 * Usage: tsx bench/open-model-client.ts URL_TEMPLATE RATE SECONDS [WARMUP_SECONDS]
 * (the warm-up runs at the same rate and is not recorded).
 * (`{id}` in the URL is replaced by a random id in 1..100000). Prints JSON.
 */
import { Agent, request } from 'node:http';
import * as hdr from 'hdr-histogram-js';

const [template = '', rateText = '1000', secondsText = '30', warmupText = '0'] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const warmup = Number(warmupText);
// A fixed pool, like wrk: bursts of new connections would hit the listen backlog and wait for
// a SYN retransmit (1 s, 3 s), which measures the kernel, not the server.
const agent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });
const histogram = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 60_000_000,
  numberOfSignificantValueDigits: 3,
});
const url = new URL(template.replace('{id}', '1'));
let sent = 0;
let done = 0;
let errors = 0;
let lateStarts = 0;
const slow: [number, number][] = [];
const statuses: Record<number, number> = {};

function fire(scheduled: number, record: boolean): void {
  if (record) sent++;
  const path = template.includes('{id}')
    ? new URL(template.replace('{id}', String(1 + Math.floor(Math.random() * 100_000)))).pathname
    : `${url.pathname}${url.search}`;
  const req = request({ host: url.hostname, port: url.port, path, agent, method: 'GET' }, (res) => {
    res.resume();
    res.on('end', () => {
      if (!record) return;
      statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
      const latency = performance.now() - scheduled;
      histogram.recordValue(Math.max(1, Math.round(latency * 1000)));
      // When the slow responses happened (seconds into the run), to tell a stall from a trend.
      if (latency > 200 && slow.length < 20)
        slow.push([Math.round((scheduled - start) / 100) / 10, Math.round(latency)]);
      if ((res.statusCode ?? 500) >= 400) errors++;
      done++;
    });
  });
  req.on('error', () => {
    if (!record) return;
    errors++;
    done++;
  });
  req.end();
}

const start = performance.now() + 50;
const warmupCount = rate * warmup;
const total = rate * (seconds + warmup);
const interval = 1000 / rate;
let next = 0;
await new Promise<void>((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) {
      const scheduled = start + next * interval;
      const record = next >= warmupCount;
      if (record && now - scheduled > 5) lateStarts++;
      fire(scheduled, record);
      next++;
    }
    if (next >= total) resolve();
    else setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
  };
  setTimeout(tick, 50);
});
const deadline = performance.now() + 10_000;
while (done < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const ms = (q: number) => histogram.getValueAtPercentile(q) / 1000;
process.stdout.write(
  `${JSON.stringify({
    rate,
    seconds,
    sent,
    completed: done,
    errors: errors + (sent - done),
    statuses,
    lateStarts,
    slow,
    p50: ms(50),
    p90: ms(90),
    p99: ms(99),
    max: histogram.maxValue / 1000,
  })}\n`,
);
agent.destroy();
