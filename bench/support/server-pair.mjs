// Paired A/B of builds of a generated project as servers: what `inject` cannot show (the socket,
// the headers on the wire, log lines written to stdout). Run from the project's directory, each
// build a copy of its `dist`; `bare` is the bare Fastify handler of bench/generated-app.ts:
//   DATABASE_URL=postgres://unused NODE_ENV=production JWT_SECRET=… RATE_LIMIT_MAX=100000000 \
//   OVERLOAD_MAX_EVENT_LOOP_DELAY_MS=0 node server-pair.mjs bare fastify:dist-before fastify:dist-after [express:…]
// Each target is a server child pinned to CPU 1 with an in-memory stand-in for the database (one
// fixed row, the account of the token) and its stdout in a file (/tmp/server-pair-<port>.log), as
// the bench's servers log; wrk (1 thread, 20 connections) on CPU 0; rounds of SECS seconds,
// alternating in order. Prints each target's median server CPU per request (/proc) and the median
// of its paired differences with the first target. `fastify-noop:dist` logs to a no-op stream.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const row = (id) => ({
  id,
  name: `item ${id}`,
  price: id + 0.5,
  status: 'active',
  stock: 3,
  createdAt: new Date(1796654152891),
  updatedAt: new Date(1796654152891),
});

async function serve(kind, dist, port) {
  const { default: Fastify } = await import('fastify');
  if (kind === 'bare') {
    const pool = { query: async (q) => ({ rows: [row(q.values[0])] }) };
    const COLUMNS = 'id, name, price, status, stock, created_at as "createdAt", updated_at as "updatedAt"';
    const app = Fastify();
    app.get('/api/v1/items/:id', async (request, reply) => {
      const text = `select ${COLUMNS} from items where id = $1`;
      const { rows } = await pool.query({ name: 'item-by-id', text, values: [Number(request.params.id)] });
      if (!rows[0]) return reply.code(404).send({ success: false });
      return { success: true, data: rows[0] };
    });
    await app.listen({ port, host: '127.0.0.1' });
    return;
  }
  const db = {
    kind: 'postgres',
    async query(text, params = []) {
      if (text.includes('auth_users')) return { rows: [{ role: 'admin', token_version: 0 }], rowCount: 1 };
      if (text.includes('from items')) return { rows: [row(params[0])], rowCount: 1 };
      return { rows: [{ ok: 1 }], rowCount: 0 };
    },
    async exec() {},
    async transaction(fn) {
      return fn(db);
    },
    async ping() {},
    async close() {},
    pool: () => ({ total: 1, idle: 1, waiting: 0, max: 20 }),
  };
  const abs = resolve(dist);
  const { buildApp } = await import(`${abs}/app.js`);
  const { loadConfig } = await import(`${abs}/config.js`);
  const { createAccessTokens } = await import(`${abs}/auth/tokens.js`);
  const config = loadConfig();
  const noop = kind.endsWith('-noop') ? { logStream: { write() {} } } : {};
  const app = await buildApp({ config, db, ...noop });
  if (kind.startsWith('fastify')) await app.listen({ port, host: '127.0.0.1' });
  else await new Promise((r) => app.listen(port, '127.0.0.1', r));
  const token = await createAccessTokens(config).sign({ id: 1, role: 'admin', tokenVersion: 0 });
  process.stderr.write(`TOKEN ${token}\n`);
}

if (process.argv[2] === '--serve') {
  const [kind, dist, port] = process.argv.slice(3);
  await serve(kind, dist, Number(port));
  process.stderr.write('READY\n');
} else {
  const ROUNDS = Number(process.env.ROUNDS ?? 8);
  const SECS = Number(process.env.SECS ?? 3);
  let port = Number(process.env.BENCH_PORT ?? 4600);
  const lua = '/tmp/server-pair-id.lua';
  writeFileSync(
    lua,
    'request = function()\n  return wrk.format("GET", "/api/v1/items/" .. math.random(1, 100))\nend\n',
  );
  const cpu = (pid) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  const self = fileURLToPath(import.meta.url);
  const targets = [];
  for (const arg of process.argv.slice(2)) {
    const [kind, dist = ''] = arg.split(':');
    const p = ++port;
    const log = openSync(`/tmp/server-pair-${p}.log`, 'w');
    const child = spawn('taskset', ['-c', '1', process.execPath, self, '--serve', kind, dist, String(p)], {
      stdio: ['ignore', log, 'pipe'],
    });
    const out = await new Promise((res, rej) => {
      let s = '';
      child.on('exit', () => rej(new Error(`${arg} exited: ${s}`)));
      child.stderr.on('data', (d) => {
        s += d;
        if (s.includes('READY')) res(s);
      });
    });
    const token = /TOKEN (\S+)/.exec(out)?.[1];
    const header = token ? ['-H', `Authorization: Bearer ${token}`] : [];
    targets.push({ name: arg, child, url: `http://127.0.0.1:${p}/api/v1/items/1`, header, samples: [] });
  }
  const run = (t, secs) => {
    const c0 = cpu(t.child.pid);
    const args = ['-c', '0', 'wrk', '-t1', '-c20', `-d${secs}s`, '-s', lua, ...t.header, t.url];
    const r = spawnSync('taskset', args, { encoding: 'utf8' });
    const used = cpu(t.child.pid) - c0;
    if (/Non-2xx/.test(r.stdout)) throw new Error(`${t.name}: answers other than 2xx\n${r.stdout}`);
    return (used * 1e6) / Number(/(\d+) requests in/.exec(r.stdout)?.[1] ?? Number.NaN);
  };
  try {
    for (const t of targets) run(t, 2);
    for (let k = 0; k < ROUNDS; k++) {
      for (const t of k % 2 ? [...targets].reverse() : targets) t.samples.push(run(t, SECS));
    }
  } finally {
    for (const t of targets) t.child.kill();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [first] = targets;
  for (const t of targets) {
    const d = t.samples.map((x, i) => x - first.samples[i]);
    const lower = d.filter((x) => x < 0).length;
    process.stdout.write(
      `${t.name}: median ${median(t.samples).toFixed(1)} µs CPU/request; paired difference with ${first.name} ${median(d).toFixed(1)} µs (lower in ${lower}/${ROUNDS})\n`,
    );
  }
}
