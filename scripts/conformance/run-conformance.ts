import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { bootAndExercise } from './boot-and-exercise.js';
import type { OracleReport } from './exercise.js';
import { generateProject } from './generate-project.js';
import { ensurePrism } from './prism.js';
import { runCommand, tail } from './processes.js';
import { sharedInstall } from './shared-install.js';
import { loadSpec, type Spec } from './spec-reader.js';
import { tempDatabase } from './temp-database.js';

/** The two frameworks tenon generates. */
export type Framework = 'fastify' | 'express';

/**
 * Test files of a generated project that do not depend on the spec (auth,
 * JWT attacks, config, logging, rate limits, resilience and SIGTERM, the
 * grant command — its four tsx + PGlite processes were ~60 % of a corpus
 * row's test time): the
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
  'test/generated/grant-command.test.ts',
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
  /**
   * The oracle per database it ran on: `postgres` when a server URL was given, `pglite` without one
   * or for the specs {@link ConformanceOptions.pgliteSpecs} keeps on PGlite.
   */
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
  /**
   * Which specs (display names, see {@link name}) are also booted and exercised on PGlite when
   * {@link databaseUrl} is given (default: all). The oracle judges the HTTP contract, which the
   * database engine under the app does not change; the e2e matrix keeps PGlite for a few specs
   * (test/e2e/spec-conformance-suite.ts says which and why). Without a server URL every spec runs on PGlite.
   */
  pgliteSpecs?: (spec: string) => boolean;
  /** Which of the project's own test files run: the spec's (default), all, or none. */
  tests?: 'spec' | 'all' | 'none';
  /** Display name of a spec (default: its path relative to the working directory). */
  name?: (file: string) => string;
  signal?: AbortSignal;
  onEvent?: (event: ConformanceEvent) => void;
}

const NOT_RUN: StepResult = { status: 'not run', ms: 0 };

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
      const generated = await generateProject(options, spec, framework, dir);
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
  const runs: Promise<void>[] = [];
  if (!options.databaseUrl || (options.pgliteSpecs?.(row.spec) ?? true))
    runs.push(
      runOn('pglite', async () => {
        const data = join(dir, '.oracle-pglite');
        rmSync(data, { recursive: true, force: true });
        return {
          env: { ...common, PGLITE_DIR: data },
          done: async () => rmSync(data, { recursive: true, force: true }),
        };
      }),
    );
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
