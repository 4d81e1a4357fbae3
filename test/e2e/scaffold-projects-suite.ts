import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { exerciseApp, roleAccountEmail, rolesToGrant } from '../../scripts/conformance/exercise.js';
import { ensurePrism } from '../../scripts/conformance/prism.js';
import { FRAMEWORK_LEVEL_TESTS } from '../../scripts/conformance/run-conformance.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';
import { runTenon } from '../support/cli.js';
import { createTempDatabase, requirePostgres, requireRedis, type TempDatabase } from '../support/services.js';
import { boot, freePort, freezeCluster, run, startThrowawayCluster, stop } from './scaffold-support.js';

/** The scaffold fixtures (inputs of `tenon new`). */
export const fixtures = fileURLToPath(new URL('../scaffold/fixtures/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const postgres = await requirePostgres();
/** The production signing key of the booted projects (32+ random bytes). */
const JWT_SECRET = randomBytes(32).toString('base64');
const redis = await requireRedis();

// The fixtures opt into tenon's conventions (/api/v1, the envelope): their generated suites test the
// full convention set (pagination meta, filters, envelopes); the corpus oracle covers specs served as written.
const inputs = {
  shop: ['--from', join(fixtures, 'shop/openapi.yaml'), '--conventions'],
  petstore: ['--from', join(fixtures, 'petstore-3.0.json'), '--conventions'],
  blog: ['--resources', readFileSync(join(fixtures, 'blog.resources'), 'utf8').trim()],
} as const;

/**
 * The fixtures to run: all three by default, as `.ci/run` does on Node 20
 * (its Node 24 slice is a corpus row in each framework instead: the generated
 * suites cost ~2 minutes per project); `TENON_E2E_FIXTURES=shop` for a quick
 * local run. Shop
 * is the fixture the other tests (cluster, regeneration) build on.
 */
const selected = (process.env.TENON_E2E_FIXTURES ?? Object.keys(inputs).join(','))
  .split(',')
  .map((n) => n.trim())
  .filter(Boolean);
for (const name of selected) {
  if (!(name in inputs))
    throw new Error(`TENON_E2E_FIXTURES: unknown fixture ${name} (known: ${Object.keys(inputs).join(', ')})`);
}
if (!selected.includes('shop'))
  throw new Error('TENON_E2E_FIXTURES must include shop (the other projects share its install)');
const names = Object.keys(inputs).filter((n) => selected.includes(n)) as (keyof typeof inputs)[];

/**
 * Fixtures whose served `/openapi.json` the oracle still finds the app at
 * odds with (issue 11, items 1–2, the spec-contract work). The DSL fixture
 * (tenon writes its document) conforms; this list only shrinks.
 */
const SERVED_DOCUMENT_PENDING: Partial<Record<keyof typeof inputs, string>> = {};

/** A resource to call after booting, with a valid body. */
const calls: Record<keyof typeof inputs, { path: string; body: Record<string, unknown> }> = {
  shop: { path: '/api/v1/categories', body: { name: 'Tools' } },
  petstore: { path: '/api/v1/owners', body: { fullName: 'Ada Lovelace', email: 'ada@example.com' } },
  blog: { path: '/api/v1/posts', body: { title: 'Hello', body: 'First post' } },
};

/**
 * Generates projects from three fixtures (OpenAPI 3.1 with $refs across
 * files, OpenAPI 3.0 JSON, the resource DSL) in one framework and runs each
 * one as its user would: install, lint (ESLint + tsc --noEmit), its own tests,
 * build, migrate, boot, call. Shop's whole suite runs on PGlite and on the
 * server PostgreSQL; petstore's and blog's spec files run on the server
 * PostgreSQL only: the engine-dependent code under them (database layer,
 * repositories, queries) is the templates' and runs on both through shop (with
 * the same conventions), and the corpus matrix runs every corpus spec's own
 * files on PGlite, so a second engine for these two repeated what is run. The shop
 * project gets a real `npm install` (through `tenon new`) from its own
 * package.json; the other two share its node_modules (same dependency set,
 * checked), so six installs do not eat the CI budget.
 *
 * One test file per framework (`scaffold-projects-<framework>.e2e.test.ts`),
 * so that vitest runs the two halves on its two workers.
 *
 * @returns the node_modules folder of the installed shop project, once its test ran.
 */
export function generatedProjects(framework: 'fastify' | 'express'): { shopModules(): string | undefined } {
  const work = mkdtempSync(join(tmpdir(), `tenon-e2e-${framework}-`));
  const databases: TempDatabase[] = [];
  /** node_modules of the shop project, which ran a real npm install. */
  let installed: string | undefined;
  afterAll(async () => {
    for (const db of databases) await db.drop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  describe.skipIf(!postgres.available).sequential(`generated ${framework} projects`, () => {
    const dirs: Record<string, string> = {};

    it.each(names)(
      'generates %s with tenon new',
      async (name) => {
        const dir = join(work, `${name}-${framework}`);
        const install = name === 'shop' ? [] : ['--no-install'];
        const result = await runTenon(
          ['new', dir, ...inputs[name], '--framework', framework, '--json', ...install],
          { cwd: work, env: { HOME: process.env.HOME } },
        );
        expect(result.code, result.stderr).toBe(0);
        const report = JSON.parse(result.stdout);
        expect(report).toMatchObject({ framework, installed: name === 'shop', conflicts: [] });
        dirs[name] = dir;
        if (name !== 'shop') {
          const deps = (d: string) => {
            const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8'));
            return { dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
          };
          expect(deps(dir)).toEqual(deps(dirs.shop!));
          symlinkSync(join(dirs.shop!, 'node_modules'), join(dir, 'node_modules'), 'dir');
        } else {
          expect(existsSync(join(dir, 'package-lock.json'))).toBe(true);
          installed = join(dir, 'node_modules');
        }
      },
      600_000,
    );

    it.each(names)(
      '%s: lints, type-checks, tests on PostgreSQL (shop also on PGlite), builds, boots',
      async (name) => {
        const dir = dirs[name]!;
        run(dir, 'npm', ['run', 'lint']);
        // The files that do not depend on the spec (auth, rate limits, resilience and SIGTERM, …) run
        // once per framework, on shop; the other fixtures run their spec's own files.
        const only = name === 'shop' ? [] : ['--', ...FRAMEWORK_LEVEL_TESTS.flatMap((f) => ['--exclude', f])];
        // Shop's suite on both databases, the others' on the server PostgreSQL only (see above).
        if (name === 'shop') {
          const onPglite = run(dir, 'npm', ['test', ...only]);
          expect(onPglite).toMatch(/Tests\s+\d+ passed/);
        }
        const db = await createTempDatabase(undefined, 'tenon_e2e');
        databases.push(db);
        // With Redis, the project's own rate-limit tests run two app instances sharing it
        // (each run under its own key prefix), and its service-needing tests may not skip.
        const services = redis.available ? { REDIS_URL: redis.url, TEST_REQUIRE_SERVICES: '1' } : {};
        const onPostgres = run(dir, 'npm', ['test', ...only], { DATABASE_URL: db.url, ...services });
        expect(onPostgres).toMatch(/Tests\s+\d+ passed/);
        run(dir, 'npm', ['run', 'build']);
        const prod = { NODE_ENV: 'production', DATABASE_URL: db.url, JWT_SECRET };
        run(dir, process.execPath, ['dist/migrate.js'], prod);
        // Production refuses to start without a strong signing key.
        for (const secret of [undefined, 'too-short']) {
          const refused = spawnSync(process.execPath, ['dist/server.js'], {
            cwd: dir,
            env: { PATH: process.env.PATH, ...prod, JWT_SECRET: secret },
            encoding: 'utf8',
            timeout: 30_000,
          });
          expect(refused.status).toBe(1);
          expect(refused.stderr).toMatch(/JWT_SECRET/);
        }
        // The first admin comes from the project's script; there is no default account.
        const admin = { email: 'root@example.test', password: 'Correct-Horse-Battery-9' };
        run(dir, process.execPath, ['dist/create-admin.js', '--email', admin.email], {
          ...prod,
          ADMIN_PASSWORD: admin.password,
        });
        // Operations the spec gives to roles of its own (petstore: notePet and putPetPhoto, `vet` only)
        // are called by the oracle as an account holding one: create-admin, then grant replaces the role.
        const from = inputs[name][0] === '--from' ? inputs[name][1] : undefined;
        const accounts: Record<string, typeof admin> = {};
        for (const role of from ? rolesToGrant(loadSpec(from)) : []) {
          accounts[role] = { email: roleAccountEmail(role), password: admin.password };
          run(dir, process.execPath, ['dist/create-admin.js', '--email', accounts[role].email], {
            ...prod,
            ADMIN_PASSWORD: admin.password,
          });
          run(dir, process.execPath, ['dist/grant.js', accounts[role].email, role], prod);
        }
        const server = await boot(dir, prod);
        try {
          const { path, body } = calls[name];
          const anonymous = await fetch(`${server.base}${path}`);
          expect(anonymous.status).toBe(401);
          const login = await fetch(`${server.base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(admin),
          });
          expect(login.status).toBe(200);
          const { accessToken } = ((await login.json()) as { data: { accessToken: string } }).data;
          const authorization = `Bearer ${accessToken}`;
          const created = await fetch(`${server.base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify(body),
          });
          expect(created.status).toBe(201);
          const location = created.headers.get('location')!;
          const one = await (await fetch(`${server.base}${location}`, { headers: { authorization } })).json();
          expect(one).toMatchObject({ success: true, data: body });
          const list = (await (
            await fetch(`${server.base}${path}?limit=5`, { headers: { authorization } })
          ).json()) as { meta: unknown };
          expect(list.meta).toMatchObject({ page: 1, limit: 5, total: 1 });
          const spec = (await (await fetch(`${server.base}/openapi.json`)).json()) as { openapi: string };
          expect(spec.openapi).toMatch(/^3\./);
          // The oracle, with the document the app serves as the spec: every operation it describes,
          // called through prism with requests built from that document, answers as it says.
          const specFile = join(work, `${name}-${framework}.served.json`);
          writeFileSync(specFile, JSON.stringify(spec));
          const oracle = await exerciseApp({
            spec: loadSpec(specFile),
            specFile,
            app: server.base,
            prismBin: ensurePrism(join(root, 'node_modules', '.cache', 'tenon-conformance')).bin,
            admin,
            accounts,
          });
          const problems = oracle.operations
            .filter((op) => !op.notImplemented)
            .flatMap((op) => [
              ...(op.refused ? [`${op.method} ${op.path}: ${op.refused}`] : []),
              ...op.violations.map(
                (v) => `${op.method} ${op.path} → ${op.status}: ${v.location} ${v.message}`,
              ),
            ]);
          const pending = SERVED_DOCUMENT_PENDING[name];
          if (pending) {
            console.log(`PENDING (issue 11) ${name} ${framework}: ${pending}\n  ${problems.join('\n  ')}`);
            expect(
              problems,
              `${name} ${framework} serves its document now: take it off SERVED_DOCUMENT_PENDING`,
            ).not.toEqual([]);
          } else expect(problems).toEqual([]);
          expect(
            oracle.operations.filter((op) => op.status >= 200 && op.status < 300).length,
          ).toBeGreaterThan(3);
        } finally {
          expect(await stop(server.child), server.log()).toBe(0);
        }
        // Nothing deprecated at start or at work (FSTDEP023 was one), nothing else warned.
        expect(server.log()).not.toMatch(/FSTDEP|DeprecationWarning|ExperimentalWarning/);
      },
      600_000,
    );

    it('shop: one process owns the embedded database: migrate and create-admin refuse it while the server runs, and no data is lost', async () => {
      const dir = dirs.shop!;
      const data = mkdtempSync(join(tmpdir(), 'tenon-e2e-pglite-'));
      const env = { PGLITE_DIR: data, JWT_SECRET };
      const admin = { email: 'first@example.test', password: 'Correct-Horse-Battery-9' };
      try {
        run(dir, process.execPath, ['dist/migrate.js'], env);
        run(dir, process.execPath, ['dist/create-admin.js', '--email', admin.email], {
          ...env,
          ADMIN_PASSWORD: admin.password,
        });
        const server = await boot(dir, env);
        try {
          // "Server in one terminal, migrate in another": refused with a clear error, nothing opened.
          for (const args of [
            ['dist/migrate.js'],
            ['dist/create-admin.js', '--email', 'second@example.test'],
          ]) {
            const second = spawnSync(process.execPath, args, {
              cwd: dir,
              env: { PATH: process.env.PATH, ...env, ADMIN_PASSWORD: admin.password },
              encoding: 'utf8',
              timeout: 60_000,
            });
            expect(second.status, second.stdout + second.stderr).toBe(1);
            expect(second.stderr).toMatch(new RegExp(`in use by process ${server.child.pid} `));
            expect(second.stderr).toMatch(/stop the other one/);
          }
          const login = await fetch(`${server.base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(admin),
          });
          expect(login.status).toBe(200);
        } finally {
          expect(await stop(server.child), server.log()).toBe(0);
        }
        // Once the server is gone, the same commands work on the same, intact data.
        expect(run(dir, process.execPath, ['dist/migrate.js'], env)).toMatch(/up to date/);
        run(dir, process.execPath, ['dist/create-admin.js', '--email', 'second@example.test'], {
          ...env,
          ADMIN_PASSWORD: admin.password,
        });
        expect(existsSync(join(data, 'tenon.lock'))).toBe(false);
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    }, 180_000);

    it('shop: /health/ready follows a real PostgreSQL cluster stopped and started again, without a restart', async () => {
      const dir = dirs.shop!;
      const port = await freePort();
      let cluster = await startThrowawayCluster(port);
      const server = await boot(dir, {
        NODE_ENV: 'production',
        JWT_SECRET,
        DATABASE_URL: cluster.url,
        HEALTH_TIMEOUT_MS: '500',
        DB_CONNECTION_TIMEOUT_MS: '500',
      });
      try {
        const ready = () => fetch(`${server.base}/health/ready`).then((r) => r.status);
        expect(await ready()).toBe(200);
        await cluster.stop();
        const started = Date.now();
        expect(await ready()).toBe(503);
        // Within the health timeout (0.5 s) rather than hanging: 10 s leaves a loaded CI machine room to
        // schedule the app, and a check without a timeout would still wait far longer.
        expect(Date.now() - started).toBeLessThan(10_000);
        expect((await fetch(`${server.base}/health/live`)).status).toBe(200);
        cluster = await startThrowawayCluster(port);
        const deadline = Date.now() + 15_000;
        let status = await ready();
        while (status !== 200 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          status = await ready();
        }
        expect(status, server.log()).toBe(200);
      } finally {
        expect(await stop(server.child), server.log()).toBe(0);
        await cluster.stop();
      }
    }, 120_000);

    it('shop: least privilege and a frozen PostgreSQL (SIGSTOP): migrations as the owner grant the service a data-only role; a hung database is 503 within DB_QUERY_TIMEOUT_MS, and the app recovers after SIGCONT without a restart', async () => {
      const dir = dirs.shop!;
      const cluster = await startThrowawayCluster(await freePort());
      const service = new URL(cluster.url);
      service.username = 'app_rw';
      service.password = 'app-rw-local-password';
      const env = {
        NODE_ENV: 'production',
        JWT_SECRET,
        DATABASE_URL: service.toString(),
        HEALTH_TIMEOUT_MS: '500',
        DB_CONNECTION_TIMEOUT_MS: '500',
        DB_STATEMENT_TIMEOUT_MS: '1000',
        DB_QUERY_TIMEOUT_MS: '1500',
      };
      const admin = { email: 'frozen@example.test', password: 'Correct-Horse-Battery-9' };
      try {
        // docker-compose's flow: the migration step, as the owner and without the signing key, creates
        // the service's role and grants it data rights; everything after runs as that role.
        const migrated = run(dir, process.execPath, ['dist/migrate.js'], {
          NODE_ENV: 'production',
          DATABASE_URL: cluster.url,
          DB_APP_ROLE: 'app_rw',
          DB_APP_PASSWORD: service.password,
        });
        expect(migrated).toMatch(/created role app_rw/);
        run(dir, process.execPath, ['dist/create-admin.js', '--email', admin.email], {
          ...env,
          ADMIN_PASSWORD: admin.password,
        });
        const server = await boot(dir, env);
        try {
          const login = await fetch(`${server.base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(admin),
          });
          expect(login.status, server.log()).toBe(200);
          const { data } = (await login.json()) as { data: { accessToken: string } };
          const list = () =>
            fetch(`${server.base}${calls.shop.path}`, {
              headers: { authorization: `Bearer ${data.accessToken}` },
              signal: AbortSignal.timeout(30_000),
            });
          expect((await list()).status).toBe(200);

          const thaw = await freezeCluster(cluster.url);
          try {
            // A warm pooled connection to a frozen server: the statement timeout cannot fire there,
            // the client-side query timeout (1.5 s) does. Before it, this request hung past 15 s; the
            // bound between the two leaves a loaded CI machine room to schedule the app.
            const started = Date.now();
            const frozen = await list();
            expect(frozen.status).toBe(503);
            expect(Date.now() - started).toBeLessThan(10_000);
            expect((await fetch(`${server.base}/health/ready`)).status).toBe(503);
            expect((await fetch(`${server.base}/health/live`)).status).toBe(200);
          } finally {
            thaw();
          }
          const deadline = Date.now() + 15_000;
          let status = (await list()).status;
          while (status !== 200 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 200));
            status = (await list()).status;
          }
          expect(status, server.log()).toBe(200);
        } finally {
          expect(await stop(server.child), server.log()).toBe(0);
        }
        // SIGTERM while the database is frozen: every request was answered, so the shutdown must not
        // wait for the server's goodbye until the grace period (pg's pool ends idle connections without
        // waiting for the server's answer; this keeps it so).
        const again = await boot(dir, env);
        // A pooled connection to say goodbye on.
        expect((await fetch(`${again.base}/health/ready`)).status, again.log()).toBe(200);
        const thawAgain = await freezeCluster(cluster.url);
        try {
          const started = Date.now();
          expect(await stop(again.child), again.log()).toBe(0);
          expect(Date.now() - started, again.log()).toBeLessThan(10_000);
        } finally {
          thawAgain();
        }
        // The service's role has no DDL and cannot read the migration history.
        const asService = new pg.Client({ connectionString: service.toString() });
        await asService.connect();
        try {
          await expect(asService.query('create table intruder (id int)')).rejects.toMatchObject({
            code: '42501',
          });
          await expect(asService.query('select * from tenon_migrations')).rejects.toMatchObject({
            code: '42501',
          });
        } finally {
          await asService.end();
        }
      } finally {
        await cluster.stop();
      }
    }, 120_000);
  });
  return { shopModules: () => installed };
}
