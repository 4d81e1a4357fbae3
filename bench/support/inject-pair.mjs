// Paired A/B of builds of one generated Fastify project, in process, without a database:
// the app's own CPU per GET by id, each build's rounds interleaved with the others' so the
// machine's swings fall on all of them alike. Run from the project's directory, each build a
// copy of its `dist` (edit or rebuild between copies):
//   DATABASE_URL=postgres://unused NODE_ENV=production JWT_SECRET=… RATE_LIMIT_MAX=100000000 \
//     taskset -c 1 node inject-pair.mjs dist-before dist-after [more…]
// Prints, per build, the median CPU µs per request (inject over an in-memory stand-in for the
// database: one fixed row, the account of the token) and the median of its paired differences
// with the first build. `inject` has costs of its own (light-my-request copies every header),
// so differences, not absolute figures, carry over to a server under wrk.
import { createWriteStream } from 'node:fs';

const row = (id) => ({
  id,
  name: `item ${id}`,
  price: id + 0.5,
  status: 'active',
  stock: 3,
  createdAt: new Date(1796654152891),
  updatedAt: new Date(1796654152891),
});
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
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const PER_ROUND = 1000;

const targets = [];
for (const dist of process.argv.slice(2)) {
  const { buildApp } = await import(`./${dist}/app.js`);
  const { loadConfig } = await import(`./${dist}/config.js`);
  const { createAccessTokens } = await import(`./${dist}/auth/tokens.js`);
  const config = loadConfig();
  const app = await buildApp({ config, db, logStream: createWriteStream('/dev/null') });
  await app.ready();
  const token = await createAccessTokens(config).sign({ id: 1, role: 'admin', tokenVersion: 0 });
  const headers = { authorization: `Bearer ${token}` };
  const check = await app.inject({ method: 'GET', url: '/api/v1/items/1', headers });
  if (check.statusCode !== 200) throw new Error(`${dist}: ${check.statusCode} ${check.body}`);
  targets.push({ dist, app, headers, samples: [] });
}

/** CPU µs per request over `n` requests, 25 in flight. */
async function round({ app, headers }, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: 25 }, (_, j) =>
        app.inject({ method: 'GET', url: `/api/v1/items/${((i + j) % 100) + 1}`, headers }),
      ),
    );
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

for (const t of targets) await round(t, 4 * PER_ROUND);
for (let k = 0; k < ROUNDS; k++) {
  // Alternate the order, so neither build always runs right after the other.
  for (const t of k % 2 ? [...targets].reverse() : targets) t.samples.push(await round(t, PER_ROUND));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [first] = targets;
for (const t of targets) {
  const diffs = t.samples.map((x, i) => x - first.samples[i]);
  const lower = diffs.filter((d) => d < 0).length;
  console.log(
    `${t.dist}: median ${median(t.samples).toFixed(1)} µs/request; paired difference with ${first.dist} ${median(diffs).toFixed(1)} µs (lower in ${lower}/${ROUNDS} rounds)`,
  );
}
process.exit(0);
