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
import { envInt, median, run, TENON } from './support/run.js';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
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

type Tool = { name: string; measure(url: string): Promise<number> };

const tools: Tool[] = [
  {
    name: 'wrk',
    async measure(url) {
      const out = await run('taskset', [
        '-c',
        GENERATOR_CPU,
        'wrk',
        '-t1',
        `-c${CONNECTIONS}`,
        `-d${SECONDS}s`,
        url,
      ]);
      return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
    },
  },
  {
    name: 'autocannon',
    async measure(url) {
      const out = await run('taskset', [
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
      return json.requests.total / json.duration;
    },
  },
  {
    name: 'tenon',
    async measure(url) {
      const out = await run('taskset', [
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
      return (JSON.parse(out) as { throughput: { rps: number } }).throughput.rps;
    },
  },
  {
    name: 'bare node net loop (no parsing, no stats)',
    async measure(url) {
      const out = await run('taskset', [
        '-c',
        GENERATOR_CPU,
        process.execPath,
        '-e',
        BARE_LOOP,
        url,
        String(SECONDS),
      ]);
      return Number(out.trim());
    },
  },
];

const nginx = await startNginx(18_931, NGINX_CPU);
const results = new Map<string, number[]>(tools.map((t) => [t.name, []]));
try {
  console.log(
    `bench 1: ${CONNECTIONS} connections, closed model, 1 worker, ${SECONDS}s per run, ${ROUNDS} rounds`,
  );
  console.log(`generator on CPU ${GENERATOR_CPU}, nginx on CPU ${NGINX_CPU}; ${nginx.url}`);
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order so drift in background load does not favour one tool.
    const order = round % 2 ? tools : [...tools].reverse();
    for (const tool of order) {
      const rps = await tool.measure(nginx.url);
      results.get(tool.name)!.push(rps);
      console.log(
        `  round ${round}  ${tool.name.padEnd(42)} ${Math.round(rps).toLocaleString('en-US').padStart(8)} req/s`,
      );
    }
  }
} finally {
  await nginx.stop();
}

const med = (name: string) => median(results.get(name)!);
console.log('\nmedian req/s');
for (const tool of tools)
  console.log(`  ${tool.name.padEnd(42)} ${Math.round(med(tool.name)).toLocaleString('en-US').padStart(8)}`);
const vsAutocannon = med('tenon') / med('autocannon');
const vsWrk = med('tenon') / med('wrk');
console.log(
  `\ntenon / autocannon = ${vsAutocannon.toFixed(2)}  (goal ≥ 2.00) ${vsAutocannon >= 2 ? 'met' : 'NOT met'}`,
);
console.log(`tenon / wrk        = ${vsWrk.toFixed(2)}  (goal ≥ 0.50) ${vsWrk >= 0.5 ? 'met' : 'NOT met'}`);
console.log(
  `tenon / bare loop  = ${(med('tenon') / med('bare node net loop (no parsing, no stats)')).toFixed(2)}`,
);
