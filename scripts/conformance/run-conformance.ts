import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import pg from 'pg';
import { exerciseApp, type OracleReport, roleAccountEmail, rolesToGrant } from './exercise.js';
import { ensurePrism } from './prism.js';
import { bootServer, runCommand } from './processes.js';
import { loadSpec, type Spec } from './spec-reader.js';

/** The two frameworks tenon generates. */
export type Framework = 'fastify' | 'express';

/**
 * Test files of a generated project that do not depend on the spec (auth,
 * JWT attacks, config, logging, rate limits, resilience and SIGTERM): the
 * fixture matrix (`test/e2e/scaffold-projects-suite.ts`) runs them once per
 * framework; the corpus matrix runs the spec's own files (its resources,
 * access matrix, hardening, idempotency, service).
 */
export const FRAMEWORK_LEVEL_TESTS = [
  'test/generated/auth.test.ts',
  'test/generated/jwt-attacks.test.ts',
  'test/generated/config.test.ts',
  'test/generated/logger.test.ts',
  'test/generated/rate-limit.test.ts',
  'test/generated/resilience.test.ts',
  'test/generated/pglite-lock.test.ts',
  'test/generated/row-count.test.ts',
  'test/generated/revocation.test.ts',
  'test/generated/least-privilege.test.ts',
];

/** How one step of one project went. */
export interface StepResult {
  status: 'passed' | 'failed' | 'not run';
  ms: number;
  /** The end of the step's output when it failed. */
  tail?: string;
}

/** What generation produced for one spec × framework. */
export interface GeneratedSummary {
  ok: boolean;
  /** Operations of the spec (webhooks not counted). */
  specOperations: number;
  crud: number;
  custom: number;
  notGenerated: number;
  webhooks: number;
  error?: string;
}

/** One row of the conformance table. */
export interface ConformanceRow {
  spec: string;
  framework: Framework;
  generated: GeneratedSummary;
  install: StepResult & { warnings: string[] };
  lint: StepResult;
  tests: StepResult;
  build: StepResult;
  /** The oracle per database it ran on (`pglite`, and `postgres` when a server URL was given). */
  oracle: Partial<
    Record<'pglite' | 'postgres', (OracleReport & { ms: number }) | { error: string; ms: number }>
  >;
}

/** Progress of {@link runConformance}. */
export type ConformanceEvent =
  | { type: 'step'; spec: string; framework: Framework; step: string; status: string; ms: number }
  | { type: 'row'; row: ConformanceRow };

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Spec files (YAML or JSON). */
  specs: string[];
  frameworks: Framework[];
  /** tenon's root (its `dist/cli/bin.js` generates the projects). */
  tenonRoot: string;
  /** Where projects are generated (one folder per spec × framework). */
  workDir: string;
  /** Where the shared installs and the prism tool folder are kept between runs. */
  cacheDir: string;
  /** A server PostgreSQL URL: each app is also booted on a temporary database there and exercised again. */
  databaseUrl?: string;
  /** Which of the project's own test files run: the spec's (default), all, or none. */
  tests?: 'spec' | 'all' | 'none';
  /** Display name of a spec (default: its path relative to the working directory). */
  name?: (file: string) => string;
  signal?: AbortSignal;
  onEvent?: (event: ConformanceEvent) => void;
}

const ADMIN = { email: 'oracle-admin@example.test', password: 'Oracle-Admin-Passw0rd-9' };
const NOT_RUN: StepResult = { status: 'not run', ms: 0 };

function tail(output: string): string {
  return output.slice(-3000);
}

/** The dependency set of a generated project, hashed: projects with equal sets share one install. */
function dependencyKey(projectDir: string): { key: string; manifest: Record<string, unknown> } {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
  const manifest = {
    name: 'tenon-oracle-deps',
    private: true,
    type: 'module',
    dependencies: pkg.dependencies,
    devDependencies: pkg.devDependencies,
    ...(pkg.overrides ? { overrides: pkg.overrides } : {}),
    ...(pkg.allowScripts ? { allowScripts: pkg.allowScripts } : {}),
  };
  const key = createHash('sha256')
    .update(JSON.stringify(manifest))
    .update(process.version)
    .digest('hex')
    .slice(0, 12);
  return { key, manifest };
}

const installs = new Map<string, Promise<StepResult & { warnings: string[]; dir: string }>>();

/**
 * One `npm install` per dependency set (and Node version), shared by every
 * project that has that set through a `node_modules` symlink — never one
 * install per project.
 */
function sharedInstall(
  projectDir: string,
  cacheDir: string,
): Promise<StepResult & { warnings: string[]; dir: string }> {
  const { key, manifest } = dependencyKey(projectDir);
  const dir = join(cacheDir, 'deps', key);
  const existing = installs.get(dir);
  // A later project of the same set reuses the install: it costs (and reports) no time.
  if (existing) return existing.then((done) => ({ ...done, ms: 0 }));
  const pending = (async () => {
    // The marker keeps what the install printed, so a reused install still reports its warnings.
    const marker = join(dir, '.installed.json');
    if (existsSync(marker)) {
      const { warnings } = JSON.parse(readFileSync(marker, 'utf8')) as { warnings: string[] };
      return { status: 'passed' as const, ms: 0, warnings, dir };
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const result = await runCommand(dir, 'npm', ['install', '--no-audit', '--no-fund']);
    const warnings = result.output.split('\n').filter((l) => /^npm (warn|WARN)/.test(l));
    if (result.ok) writeFileSync(marker, JSON.stringify({ warnings }));
    return {
      status: result.ok ? ('passed' as const) : ('failed' as const),
      ms: result.ms,
      warnings,
      dir,
      ...(result.ok ? {} : { tail: tail(result.output) }),
    };
  })();
  installs.set(dir, pending);
  return pending;
}

interface TenonReport {
  notImplemented?: unknown[];
  policy?: { rules?: unknown[] };
}

async function generate(
  options: ConformanceOptions,
  spec: Spec,
  framework: Framework,
  dir: string,
): Promise<{ summary: GeneratedSummary; ms: number }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const result = await runCommand(options.workDir, process.execPath, [
    join(options.tenonRoot, 'dist/cli/bin.js'),
    'new',
    dir,
    '--from',
    spec.file,
    '--framework',
    framework,
    '--no-install',
    '--json',
  ]);
  const specOperations = spec.operations.length;
  const webhooks = spec.webhooks.length;
  if (!result.ok) {
    // The CLI's error line: `error TENON_CODE: message`.
    const line = /^error (TENON_\w+): (.*)$/m.exec(result.output);
    const error = line ? `${line[1]}: ${line[2]}` : tail(result.output);
    return {
      summary: {
        ok: false,
        specOperations,
        crud: 0,
        custom: 0,
        notGenerated: specOperations,
        webhooks,
        error,
      },
      ms: result.ms,
    };
  }
  const report = JSON.parse(result.output.slice(result.output.indexOf('{'))) as TenonReport;
  const custom = report.notImplemented?.length ?? 0;
  const routes = report.policy?.rules?.length ?? 0;
  const crud = Math.max(0, routes - custom);
  return {
    summary: {
      ok: true,
      specOperations,
      crud,
      custom,
      notGenerated: Math.max(0, specOperations - crud - custom),
      webhooks,
    },
    ms: result.ms,
  };
}

async function step(
  row: ConformanceRow,
  name: 'lint' | 'tests' | 'build',
  dir: string,
  args: string[],
  emit: (step: string, status: string, ms: number) => void,
): Promise<StepResult> {
  const [command, ...rest] = args as [string, ...string[]];
  const result = await runCommand(dir, command, rest);
  const outcome: StepResult = result.ok
    ? { status: 'passed', ms: result.ms }
    : { status: 'failed', ms: result.ms, tail: tail(result.output) };
  row[name] = outcome;
  emit(name, outcome.status, outcome.ms);
  return outcome;
}

async function tempDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tenon_oracle_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`).finally(() => admin.end());
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
    },
  };
}

/** Migrates, creates the admin, boots the built server on `env`'s database and runs the oracle against it. */
async function bootAndExercise(
  dir: string,
  env: Record<string, string>,
  spec: Spec,
  specFile: string,
  prismBin: string,
): Promise<OracleReport> {
  // The project's own scripts, one after another; create-admin reads the password from
  // ADMIN_PASSWORD (never from argv).
  const runScripts = async (commands: string[][]) => {
    for (const args of commands) {
      const result = await runCommand(
        dir,
        process.execPath,
        args,
        { ...env, ADMIN_PASSWORD: ADMIN.password },
        120_000,
      );
      if (!result.ok) throw new Error(`node ${args.join(' ')} failed:\n${tail(result.output)}`);
    }
  };
  await runScripts([['dist/migrate.js'], ['dist/create-admin.js', '--email', ADMIN.email]]);
  // Operations the spec gives to roles of its own are called by an account holding one: made now,
  // while no server owns the embedded database (create-admin, then grant replaces the role).
  const accounts: Record<string, { email: string; password: string }> = {};
  for (const role of rolesToGrant(spec)) {
    const account = { email: roleAccountEmail(role), password: ADMIN.password };
    await runScripts([
      ['dist/create-admin.js', '--email', account.email],
      ['dist/grant.js', account.email, role],
    ]);
    accounts[role] = account;
  }
  const server = await bootServer(dir, env);
  let report: OracleReport;
  try {
    report = await exerciseApp({ spec, specFile, app: server.base, prismBin, admin: ADMIN, accounts });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const code = await server.stop();
  if (code !== 0)
    throw new Error(`the server did not shut down cleanly (exit ${code}):\n${tail(server.log())}`);
  return report;
}

/**
 * The conformance matrix: for every spec × framework, generates the
 * project, installs it (shared), lints, runs its own tests, builds, boots it
 * on PGlite (and on the server PostgreSQL when given) and runs the oracle.
 * Returns one row per spec × framework; never throws for a failing project.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceRow[]> {
  const rows: ConformanceRow[] = [];
  const prism = ensurePrism(options.cacheDir);
  const jwtSecret = randomBytes(32).toString('base64');
  for (const file of options.specs) {
    const spec = loadSpec(file);
    const specName = options.name?.(file) ?? relative(process.cwd(), file);
    const specFile = join(options.workDir, `${basename(file).replace(/\.[^.]+$/, '')}.oracle.json`);
    mkdirSync(options.workDir, { recursive: true });
    writeFileSync(specFile, JSON.stringify(spec.bundled));
    for (const framework of options.frameworks) {
      if (options.signal?.aborted) return rows;
      const emit = (stepName: string, status: string, ms: number) =>
        options.onEvent?.({ type: 'step', spec: specName, framework, step: stepName, status, ms });
      const dir = join(options.workDir, `${basename(file).replace(/\.[^.]+$/, '')}-${framework}`);
      const generated = await generate(options, spec, framework, dir);
      emit('generate', generated.summary.ok ? 'passed' : 'failed', generated.ms);
      const row: ConformanceRow = {
        spec: specName,
        framework,
        generated: generated.summary,
        install: { ...NOT_RUN, warnings: [] },
        lint: NOT_RUN,
        tests: NOT_RUN,
        build: NOT_RUN,
        oracle: {},
      };
      rows.push(row);
      if (generated.summary.ok)
        await checkProject(options, row, spec, specFile, dir, prism.bin, jwtSecret, emit);
      options.onEvent?.({ type: 'row', row });
    }
  }
  return rows;
}

async function checkProject(
  options: ConformanceOptions,
  row: ConformanceRow,
  spec: Spec,
  specFile: string,
  dir: string,
  prismBin: string,
  jwtSecret: string,
  emit: (step: string, status: string, ms: number) => void,
): Promise<void> {
  const install = await sharedInstall(dir, options.cacheDir);
  row.install = { status: install.status, ms: install.ms, warnings: install.warnings, tail: install.tail };
  emit('install', install.status, install.ms);
  if (install.status !== 'passed') return;
  symlinkSync(join(install.dir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await step(row, 'lint', dir, ['npm', 'run', 'lint'], emit);
  const tests = options.tests ?? 'spec';
  if (tests !== 'none') {
    const exclude = tests === 'spec' ? FRAMEWORK_LEVEL_TESTS.flatMap((f) => ['--exclude', f]) : [];
    await step(row, 'tests', dir, ['npx', 'vitest', 'run', ...exclude], emit);
  }
  const build = await step(row, 'build', dir, ['npm', 'run', 'build'], emit);
  if (build.status !== 'passed') return;
  const runOn = async (
    where: 'pglite' | 'postgres',
    env: () => Promise<{ env: Record<string, string>; done(): Promise<void> }>,
  ) => {
    const started = performance.now();
    const prepared = await env();
    try {
      const report = await bootAndExercise(dir, prepared.env, spec, specFile, prismBin);
      row.oracle[where] = { ...report, ms: Math.round(performance.now() - started) };
      emit(
        `oracle on ${where}`,
        `${report.violations} violations, ${report.refused} refused${report.unkeyed.length > 0 ? `; no create answer gives the key of ${report.unkeyed.join(', ')} as the spec declares it (sent a sample)` : ''}`,
        row.oracle[where]!.ms,
      );
    } catch (error) {
      row.oracle[where] = { error: (error as Error).message, ms: Math.round(performance.now() - started) };
      emit(`oracle on ${where}`, 'failed', row.oracle[where]!.ms);
    } finally {
      await prepared.done();
    }
  };
  // The oracle judges the spec's contract, not the app's protections: rate limits high, and the
  // overload guard off (on a starved CI machine an event-loop stall over 1 s answered a login 503).
  const common = {
    JWT_SECRET: jwtSecret,
    RATE_LIMIT_MAX: '100000',
    RATE_LIMIT_AUTH_MAX: '1000',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  };
  // The two databases run side by side: separate servers, ports, prism proxies and data, nothing
  // shared but the built project. Each run is a chain of round trips (runner → prism → app →
  // database), so together they use the second core instead of waiting for each other.
  const runs = [
    runOn('pglite', async () => {
      const data = join(dir, '.oracle-pglite');
      rmSync(data, { recursive: true, force: true });
      return {
        env: { ...common, PGLITE_DIR: data },
        done: async () => rmSync(data, { recursive: true, force: true }),
      };
    }),
  ];
  if (options.databaseUrl) {
    const baseUrl = options.databaseUrl;
    runs.push(
      runOn('postgres', async () => {
        const db = await tempDatabase(baseUrl);
        return { env: { ...common, NODE_ENV: 'production', DATABASE_URL: db.url }, done: () => db.drop() };
      }),
    );
  }
  // Both end (and clean up) before a failure to set one up is passed on.
  const outcomes = await Promise.allSettled(runs);
  // The row lists PGlite first, whichever finished first (the table and the JSON keep one order).
  const { pglite, postgres } = row.oracle;
  row.oracle = { ...(pglite ? { pglite } : {}), ...(postgres ? { postgres } : {}) };
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
}
