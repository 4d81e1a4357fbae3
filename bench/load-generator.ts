/**
 * Bench 1, generator efficiency: requests per second each load generator
 * gets out of one core against nginx on the other core, closed model, 50
 * keep-alive connections, one worker/thread. Tools alternate within each
 * round; the median of the rounds is reported with the ratios.
 *
 * Goal: tenon ≥ 2× autocannon and ≥ 0.5× wrk.
 *
 *   flock /tmp/tenon-bench.lock npx tsx bench/load-generator.ts
 *   (BENCH_ROUNDS=5 BENCH_SECONDS=5 to change the defaults)
 */
import { startNginx } from './support/nginx.js';
import { buildTenon, envInt, median, runTimed, TENON } from './support/run.js';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
const SECONDS = envInt('BENCH_SECONDS', 5);
const CONNECTIONS = 50;
const GENERATOR_CPU = '0';
const NGINX_CPU = 1;

const BARE_LOOP = `
const net = require('node:net');
const url = new URL(process.argv[1]);
const req = Buffer.from('GET ' + url.pathname + ' HTTP/1.1\\r\\nHost: ' + url.host + '\\r\\n\\r\\n');
let n = 0; const end = Date.now() + Number(process.argv[2]) * 1000;
for (let i = 0; i < ${CONNECTIONS}; i++) {
  const s = net.connect(Number(url.port), url.hostname);
  s.setNoDelay(true);
  s.on('connect', () => s.write(req));
  s.on('data', () => { n++; if (Date.now() < end) s.write(req); else s.destroy(); });
}
setTimeout(() => { console.log(n / Number(process.argv[2])); process.exit(0); }, Number(process.argv[2]) * 1000 + 200);
`;

/** What one run of a tool gave: requests per second, and requests per CPU second it used. */
type Figures = { rps: number; perCpuSecond: number };
type Tool = { name: string; measure(url: string): Promise<Figures> };

const tools: Tool[] = [
  {
    name: 'wrk',
    async measure(url) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        'wrk',
        '-t1',
        `-c${CONNECTIONS}`,
        `-d${SECONDS}s`,
        url,
      ]);
      const total = Number(/(\d+) requests in/.exec(out)![1]);
      return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), perCpuSecond: total / cpuSeconds };
    },
  },
  {
    name: 'autocannon',
    async measure(url) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        process.execPath,
        'node_modules/autocannon/autocannon.js',
        '-c',
        String(CONNECTIONS),
        '-d',
        String(SECONDS),
        '-j',
        url,
      ]);
      const json = JSON.parse(out) as { requests: { total: number }; duration: number };
      return { rps: json.requests.total / json.duration, perCpuSecond: json.requests.total / cpuSeconds };
    },
  },
  {
    name: 'tenon',
    async measure(url) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        ...TENON,
        'load',
        url,
        '-c',
        String(CONNECTIONS),
        '-d',
        `${SECONDS}s`,
        '--workers',
        '1',
        '--json',
      ]);
      const json = JSON.parse(out) as {
        throughput: { rps: number };
        requests: { total: number; ok: number };
      };
      if (json.requests.ok !== json.requests.total) throw new Error(`tenon saw errors: ${out.slice(0, 400)}`);
      return { rps: json.throughput.rps, perCpuSecond: json.requests.total / cpuSeconds };
    },
  },
  {
    name: 'bare node net loop (no parsing, no stats)',
    async measure(url) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        process.execPath,
        '-e',
        BARE_LOOP,
        url,
        String(SECONDS),
      ]);
      const rps = Number(out.trim());
      return { rps, perCpuSecond: (rps * SECONDS) / cpuSeconds };
    },
  },
];

await buildTenon();
const nginx = await startNginx(18_931, NGINX_CPU);
const results = new Map<string, Figures[]>(tools.map((t) => [t.name, []]));
try {
  console.log(
    `bench 1: ${CONNECTIONS} connections, closed model, 1 worker, ${SECONDS}s per run, ${ROUNDS} rounds`,
  );
  console.log(`generator on CPU ${GENERATOR_CPU}, nginx on CPU ${NGINX_CPU}; ${nginx.url}`);
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order so drift in background load does not favour one tool.
    const order = round % 2 ? tools : [...tools].reverse();
    for (const tool of order) {
      const f = await tool.measure(nginx.url);
      results.get(tool.name)!.push(f);
      console.log(
        `  round ${round}  ${tool.name.padEnd(42)} ${fmt(f.rps)} req/s ${fmt(f.perCpuSecond)} req/CPU-s`,
      );
    }
  }
} finally {
  await nginx.stop();
}

const med = (name: string, key: keyof Figures) => median(results.get(name)!.map((f) => f[key]));
console.log('\nmedians                                       req/s   req per CPU-second');
for (const tool of tools)
  console.log(
    `  ${tool.name.padEnd(42)} ${fmt(med(tool.name, 'rps'))} ${fmt(med(tool.name, 'perCpuSecond'))}`,
  );
const BARE = 'bare node net loop (no parsing, no stats)';
for (const key of ['rps', 'perCpuSecond'] as const) {
  const label = key === 'rps' ? 'req/s' : 'req per CPU-second';
  const vsAutocannon = med('tenon', key) / med('autocannon', key);
  const vsWrk = med('tenon', key) / med('wrk', key);
  console.log(`\n${label}:`);
  console.log(
    `  tenon / autocannon = ${vsAutocannon.toFixed(2)}  (goal ≥ 2.00) ${vsAutocannon >= 2 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  tenon / wrk        = ${vsWrk.toFixed(2)}  (goal ≥ 0.50) ${vsWrk >= 0.5 ? 'met' : 'NOT met'}`,
  );
  console.log(`  tenon / bare loop  = ${(med('tenon', key) / med(BARE, key)).toFixed(2)}`);
}
