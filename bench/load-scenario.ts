/**
 * Scenario throughput: the same user flow — log in, create an item, fetch
 * it by the id the server returned (token and id extracted from responses,
 * statuses checked) — run by tenon (`tenon load --scenario`, closed model,
 * 50 virtual users) and by autocannon (a `requests` array with
 * `setupRequest`/`onResponse`, 50 connections), each on one core against a
 * raw-socket test server on the other. Tools alternate within each round;
 * medians and ratios of flows per second and flows per CPU-second.
 *
 *   flock /tmp/tenon-bench.lock npx tsx bench/load-scenario.ts
 *   (BENCH_ROUNDS=5 BENCH_SECONDS=5 to change the defaults)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTenon, envInt, median, ROOT, runTimed, TENON } from './support/run.js';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
const SECONDS = envInt('BENCH_SECONDS', 5);
const USERS = 50;
const GENERATOR_CPU = '0';
const SERVER_CPU = '1';
const PORT = 18_947;
const URL_BASE = `http://127.0.0.1:${PORT}`;

const SCENARIO = `name: bench
baseUrl: ${URL_BASE}
flows:
  - name: flow
    steps:
      - name: login
        method: POST
        url: /login
        json: { email: bench@example.com }
        check: { status: 200 }
        extract: { token: { json: /token } }
      - name: create
        method: POST
        url: /items
        headers: { authorization: "Bearer {{token}}" }
        json: { name: "item-{{$vu}}-{{$iteration}}" }
        check: { status: 201 }
        extract: { id: { json: /id } }
      - name: fetch
        url: /items/{{id}}
        headers: { authorization: "Bearer {{token}}" }
        check: { status: 200 }
`;

// autocannon runs the three requests in order on each connection, again and again.
const AUTOCANNON = `
const autocannon = require(${JSON.stringify(join(ROOT, 'node_modules/autocannon'))});
const json = { 'content-type': 'application/json' };
let bad = 0;
const check = (want) => (status) => { if (status !== want) bad++; };
autocannon({
  url: ${JSON.stringify(URL_BASE)},
  connections: ${USERS},
  duration: ${SECONDS},
  requests: [
    { method: 'POST', path: '/login', headers: json, body: JSON.stringify({ email: 'bench@example.com' }),
      onResponse: (status, body, context) => { check(200)(status); context.token = JSON.parse(body).token; } },
    { method: 'POST', path: '/items',
      setupRequest: (req, context) => ({ ...req, headers: { ...json, authorization: 'Bearer ' + context.token },
        body: JSON.stringify({ name: 'item-' + Math.random() }) }),
      onResponse: (status, body, context) => { check(201)(status); context.id = JSON.parse(body).id; } },
    { method: 'GET',
      setupRequest: (req, context) => ({ ...req, path: '/items/' + context.id, headers: { authorization: 'Bearer ' + context.token } }),
      onResponse: (status) => check(200)(status) },
  ],
}, (err, result) => {
  if (err) throw err;
  console.log(JSON.stringify({ requests: result.requests.total, duration: result.duration, errors: result.errors, non2xx: result.non2xx, bad }));
});
`;

type Figures = { flowsPerSecond: number; flowsPerCpuSecond: number };

async function startServer(): Promise<ChildProcess> {
  const child = spawn(
    'taskset',
    ['-c', SERVER_CPU, process.execPath, 'bench/support/flow-server.mjs', String(PORT)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flow server exited ${code}`)));
  });
  return child;
}

const tools: { name: string; measure(dir: string): Promise<Figures> }[] = [
  {
    name: 'tenon --scenario',
    async measure(dir) {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        ...TENON,
        'load',
        '--scenario',
        join(dir, 'bench.yaml'),
        '--vus',
        String(USERS),
        '-d',
        `${SECONDS}s`,
        '--json',
      ]);
      const r = JSON.parse(out) as {
        totals: { flows: { ok: number; failed: number } };
        durationSeconds: number;
      };
      if (r.totals.flows.failed > 0) throw new Error(`tenon: ${r.totals.flows.failed} flows failed`);
      return {
        flowsPerSecond: r.totals.flows.ok / r.durationSeconds,
        flowsPerCpuSecond: r.totals.flows.ok / cpuSeconds,
      };
    },
  },
  {
    name: 'autocannon requests[]',
    async measure() {
      const { out, cpuSeconds } = await runTimed('taskset', [
        '-c',
        GENERATOR_CPU,
        process.execPath,
        '-e',
        AUTOCANNON,
      ]);
      const r = JSON.parse(out.trim()) as {
        requests: number;
        duration: number;
        errors: number;
        non2xx: number;
        bad: number;
      };
      if (r.errors + r.non2xx + r.bad > 0) throw new Error(`autocannon: ${out}`);
      const flows = r.requests / 3;
      return { flowsPerSecond: flows / r.duration, flowsPerCpuSecond: flows / cpuSeconds };
    },
  },
];

await buildTenon();
const dir = mkdtempSync(join(tmpdir(), 'tenon-bench-scenario-'));
writeFileSync(join(dir, 'bench.yaml'), SCENARIO);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
const results = new Map<string, Figures[]>(tools.map((t) => [t.name, []]));
console.log(
  `scenario bench: log in, create, fetch by id · ${USERS} users/connections, closed model, ${SECONDS}s per run, ${ROUNDS} rounds`,
);
console.log(`generator on CPU ${GENERATOR_CPU}, raw-socket flow server on CPU ${SERVER_CPU}`);
for (let round = 1; round <= ROUNDS; round++) {
  const order = round % 2 ? tools : [...tools].reverse();
  for (const tool of order) {
    // A fresh server per run: same item count, same memory, for both tools.
    const server = await startServer();
    try {
      const f = await tool.measure(dir);
      results.get(tool.name)!.push(f);
      console.log(
        `  round ${round}  ${tool.name.padEnd(24)} ${fmt(f.flowsPerSecond)} flows/s ${fmt(f.flowsPerCpuSecond)} flows/CPU-s`,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }
}
const med = (name: string, key: keyof Figures) => median(results.get(name)!.map((f) => f[key]));
console.log('\nmedians                      flows/s  flows per CPU-second  (3 requests per flow)');
for (const t of tools)
  console.log(
    `  ${t.name.padEnd(24)} ${fmt(med(t.name, 'flowsPerSecond'))} ${fmt(med(t.name, 'flowsPerCpuSecond'))}`,
  );
for (const key of ['flowsPerSecond', 'flowsPerCpuSecond'] as const)
  console.log(
    `tenon / autocannon, ${key === 'flowsPerSecond' ? 'flows/s' : 'flows per CPU-second'}: ${(med('tenon --scenario', key) / med('autocannon requests[]', key)).toFixed(2)}`,
  );
