/**
 * Bench 1, generator efficiency: what each load generator gets out of one
 * core against nginx on the other core, closed model, 50 keep-alive
 * connections, one worker/thread. Tools alternate within each round; the
 * median of the rounds is reported with the ratios.
 *
 * Goal (issue 15): per core, tenon ≥ 0.95× wrk and ≥ 1.5× autocannon.
 * "Per core" is requests per CPU-second of the generator's whole process
 * (user + system, start-up included), not requests per second: nginx's one
 * worker on its one core answers only so many requests per second (~80k on
 * the development machine), so every tool that can drive more is held near
 * that ceiling and the req/s ratios shrink toward 1 whatever the generators
 * cost. CPU-seconds per request is what the generator itself spends, and it
 * is also fair when other processes steal the core. req/s is printed too.
 * Each tool's start-up CPU (a run of one request) is printed beside the
 * figures: a 5 s run of a Node tool pays it once, wrk barely at all.
 *
 *   flock /tmp/tenon-bench.lock npx tsx bench/load-generator.ts
 *   (BENCH_ROUNDS=5 BENCH_SECONDS=5 to change the defaults)
 *   (`--port N` or BENCH_PORT=N: nginx's port, default 18931; another when that one is taken
 *   or outside the range a shared machine gives you)
 */
import { numberFlag } from './support/args.js';
import { startNginx } from './support/nginx.js';
import { buildTenon, envInt, median, runTimed, TENON } from './support/run.js';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
/** nginx's port: `--port N`, else BENCH_PORT, else the bench's own default. */
const PORT = numberFlag('port', envInt('BENCH_PORT', 18_931));
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

// Node's cheapest public socket path: reads land in one reused buffer (onread), no stream
// events, no parsing or recording; writes still go through socket.write (the Writable stream).
const ONREAD_LOOP = `
const net = require('node:net');
const url = new URL(process.argv[1]);
const req = Buffer.from('GET ' + url.pathname + ' HTTP/1.1\\r\\nHost: ' + url.host + '\\r\\n\\r\\n');
const buffer = Buffer.allocUnsafe(64 * 1024);
let n = 0; const end = Date.now() + Number(process.argv[2]) * 1000;
for (let i = 0; i < ${CONNECTIONS}; i++) {
  const s = net.connect({ port: Number(url.port), host: url.hostname, noDelay: true, onread: { buffer, callback: () => {
    n++; if (Date.now() < end) s.write(req); else s.destroy(); return true; } } });
  s.on('connect', () => s.write(req));
}
setTimeout(() => { console.log(n / Number(process.argv[2])); process.exit(0); }, Number(process.argv[2]) * 1000 + 200);
`;

// The Node floor: the cheapest socket path Node has, the one tenon's engine uses (direct-write.ts):
// reads into one reused buffer (onread), writes straight to the TCP handle with Node's own write
// request (what socket.write does under its Writable stream), no parsing or recording. Its
// requests per CPU-second are what any Node generator can reach at most here, so it says whether
// a goal relative to wrk is reachable.
const FLOOR_LOOP = `
const net = require('node:net');
const { WriteWrap, streamBaseState, kLastWriteWasAsync } = process.binding('stream_wrap');
const url = new URL(process.argv[1]);
const req = Buffer.from('GET ' + url.pathname + ' HTTP/1.1\\r\\nHost: ' + url.host + '\\r\\n\\r\\n');
const buffer = Buffer.allocUnsafe(64 * 1024);
let n = 0; const end = Date.now() + Number(process.argv[2]) * 1000;
const oncomplete = (status) => { if (status < 0) throw new Error('write failed: ' + status); };
for (let i = 0; i < ${CONNECTIONS}; i++) {
  let w = null;
  const write = () => {
    if (w === null) { w = new WriteWrap(); w.handle = s._handle; w.oncomplete = oncomplete; }
    if (s._handle.writeBuffer(w, req) < 0) throw new Error('write failed');
    if (streamBaseState[kLastWriteWasAsync]) w = null; // libuv keeps w until the rest is written
  };
  const s = net.connect({ port: Number(url.port), host: url.hostname, noDelay: true, onread: { buffer, callback: () => {
    n++; if (Date.now() < end) write(); else s.destroy(); return true; } } });
  s.on('connect', write);
}
setTimeout(() => { console.log(n / Number(process.argv[2])); process.exit(0); }, Number(process.argv[2]) * 1000 + 200);
`;

/** A bare Node loop (one of the scripts above) as a tool: its start-up is Node's own. */
function bareLoop(name: string, script: string): Tool {
  return {
    name,
    async measure(url) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        process.execPath,
        '-e',
        script,
        url,
        String(SECONDS),
      ]);
      const rps = Number(out.trim());
      return { rps, perCpuSecond: (rps * SECONDS) / cpuSeconds, cpuSeconds };
    },
    async startup() {
      return (await runTimed('taskset', ['-c', GENERATOR_CPU, process.execPath, '-e', '0'])).cpuSeconds;
    },
  };
}

const BARE = 'bare node net loop (no parsing, no stats)';
const ONREAD = 'bare node onread loop (socket.write)';
const FLOOR = 'bare node onread + handle writes (Node floor)';

/** What one run of a tool gave: requests per second, and requests per CPU second it used. */
type Figures = { rps: number; perCpuSecond: number; cpuSeconds: number };
type Tool = {
  name: string;
  measure(url: string): Promise<Figures>;
  /** CPU-seconds of a run that sends one request: the tool's start-up and exit. */
  startup?(url: string): Promise<number>;
};

/** tenon as a tool: `command` runs its CLI (this checkout's build, or another one's). */
function tenonTool(name: string, command: readonly string[]): Tool {
  return {
    name,
    async measure(url) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        ...command,
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
      if (json.requests.ok !== json.requests.total)
        throw new Error(`${name} saw errors: ${out.slice(0, 400)}`);
      return { rps: json.throughput.rps, perCpuSecond: json.requests.total / cpuSeconds, cpuSeconds };
    },
    async startup(url) {
      const args = ['load', url, '-n', '1', '-c', '1', '--workers', '1', '--json'];
      return (await runTimed('taskset', ['-c', GENERATOR_CPU, ...command, ...args])).cpuSeconds;
    },
  };
}

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
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
      return { rps, perCpuSecond: total / cpuSeconds, cpuSeconds };
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
      const total = json.requests.total;
      return { rps: total / json.duration, perCpuSecond: total / cpuSeconds, cpuSeconds };
    },
    async startup(url) {
      const args = ['node_modules/autocannon/autocannon.js', '-c', '1', '-a', '1', '-j', url];
      return (await runTimed('taskset', ['-c', GENERATOR_CPU, process.execPath, ...args])).cpuSeconds;
    },
  },
  tenonTool('tenon', TENON),
  bareLoop(BARE, BARE_LOOP),
  bareLoop(ONREAD, ONREAD_LOOP),
  bareLoop(FLOOR, FLOOR_LOOP),
];
// BENCH_OLD_TENON=path/to/other/dist/cli/bin.js also runs another build of tenon in the same rounds
// (alternating with this one), so an engine change is judged against its predecessor under the same load.
const OLD_TENON = process.env.BENCH_OLD_TENON;
if (OLD_TENON) tools.push(tenonTool('tenon (old build)', [process.execPath, OLD_TENON]));

await buildTenon();
const nginx = await startNginx(PORT, NGINX_CPU);
const results = new Map<string, Figures[]>(tools.map((t) => [t.name, []]));
const startups = new Map<string, number[]>();
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
      if (tool.startup)
        startups.set(tool.name, [...(startups.get(tool.name) ?? []), await tool.startup(nginx.url)]);
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
const GOALS = { autocannon: 1.5, wrk: 0.95 };
const goal = (ratio: number, min: number) => `(goal ≥ ${min.toFixed(2)}) ${ratio >= min ? 'met' : 'NOT met'}`;
for (const key of ['perCpuSecond', 'rps'] as const) {
  const perCore = key === 'perCpuSecond';
  const vsAutocannon = med('tenon', key) / med('autocannon', key);
  const vsWrk = med('tenon', key) / med('wrk', key);
  console.log(
    perCore
      ? '\nper core = requests per CPU-second of the generator (the goals):'
      : '\nreq/s (nginx caps every tool near the same figure; no goal):',
  );
  console.log(
    `  tenon / autocannon = ${vsAutocannon.toFixed(2)}${perCore ? `  ${goal(vsAutocannon, GOALS.autocannon)}` : ''}`,
  );
  console.log(`  tenon / wrk        = ${vsWrk.toFixed(2)}${perCore ? `  ${goal(vsWrk, GOALS.wrk)}` : ''}`);
  console.log(`  tenon / bare loop  = ${(med('tenon', key) / med(BARE, key)).toFixed(2)}`);
  console.log(
    `  Node floor / wrk   = ${(med(FLOOR, key) / med('wrk', key)).toFixed(2)}  (the most a Node generator gets here)`,
  );
}
if (OLD_TENON) {
  const old = 'tenon (old build)';
  const pairs = results.get('tenon')!.map((f, i) => f.perCpuSecond / results.get(old)![i]!.perCpuSecond);
  console.log(
    `\ntenon / old build per CPU-second = ${(med('tenon', 'perCpuSecond') / med(old, 'perCpuSecond')).toFixed(2)} (medians; round by round ${pairs.map((r) => r.toFixed(2)).join(' ')})`,
  );
}
console.log('\nstart-up and exit, CPU-seconds of a one-request run (included in the per-core figures):');
for (const [name, values] of startups) console.log(`  ${name.padEnd(42)} ${median(values).toFixed(3)}`);
// What a long run converges to: each run's CPU less the tool's start-up (wrk's, a few ms, is not
// subtracted). Not the goal figure, but it separates the engine's cost per request from the start.
const steady = (name: string) => {
  const startup = median(startups.get(name) ?? [0]);
  return median(results.get(name)!.map((f) => (f.perCpuSecond * f.cpuSeconds) / (f.cpuSeconds - startup)));
};
console.log('\nrequests per CPU-second without the start-up (informational, no goal):');
console.log(
  `  tenon ${fmt(steady('tenon'))} · autocannon ${fmt(steady('autocannon'))} · wrk ${fmt(steady('wrk'))} · Node floor ${fmt(steady(FLOOR))}`,
);
console.log(
  `  tenon / autocannon = ${(steady('tenon') / steady('autocannon')).toFixed(2)}  tenon / wrk = ${(steady('tenon') / steady('wrk')).toFixed(2)}  Node floor / wrk = ${(steady(FLOOR) / steady('wrk')).toFixed(2)}  tenon / Node floor = ${(steady('tenon') / steady(FLOOR)).toFixed(2)}`,
);
