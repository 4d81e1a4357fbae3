/**
 * tenon migrate vs node-pg-migrate vs dbmate on the server PostgreSQL.
 *
 *   npx tsx bench/migrate.ts [--count 1000] [--status-count 5000] [--rounds 3]
 *     [--tools tenon,dbmate] [--bin PATH] [--vs PATH …] [--no-build]
 *
 * Each tool applies the same N small migrations (a table and an index each)
 * to a fresh database, as a real process (startup included), in rotating
 * order over several rounds. Printed per tool: median and best wall time,
 * and the median over rounds of (tool time / tenon time in the same round),
 * which holds up best when other work on the machine comes and goes.
 * dbmate reads the very same files (it shares the `-- migrate:up` markers);
 * node-pg-migrate gets the same SQL under its `-- Up Migration` markers and
 * runs twice: with its default (all migrations in ONE transaction) and with
 * one transaction per migration, as tenon and dbmate do. Then
 * `tenon migrate status` is timed against 5,000 applied migrations.
 * Every time comes with the CPU time (user + system) of the tool's process
 * and its children, and the ratios with the CPU ratio: on a loaded machine
 * it says what a tool costs. `--bin` runs another build of tenon's CLI,
 * `--vs` (repeatable) adds one to the rounds (`tenon --vs` …), e.g. the
 * build before a change; `--no-build` skips the `npm run build` first.
 *
 * Wrap runs in `flock /tmp/tenon-bench.lock …`: other work on the machine
 * skews absolute figures; compare the ratios printed by one run.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrationVersion } from '../src/core/migration/migration-file.js';
import { flag, flags, hasSwitch, listFlag, numberFlag } from './support/args.js';
import { dropBenchDatabase, freshBenchDatabase, withClient } from './support/bench-database.js';
import { type ProcessTime, timedProcess } from './support/timed-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COUNT = numberFlag('count', 1000);
const STATUS_COUNT = numberFlag('status-count', 5000);
const ROUNDS = numberFlag('rounds', 5);
const freshDatabase = freshBenchDatabase;
const dropDatabase = dropBenchDatabase;

function version(i: number): string {
  return migrationVersion(new Date(Date.UTC(2026, 0, 1) + i * 1000));
}

function body(i: number): { up: string; down: string } {
  return {
    up: `create table bench_${i} (id bigint generated always as identity primary key, name text not null, created_at timestamptz not null default now());\ncreate index bench_${i}_name on bench_${i} (name);`,
    down: `drop table bench_${i};`,
  };
}

/** The same migrations in tenon's (= dbmate's) format and in node-pg-migrate's. */
function writeMigrations(count: number): { tenonDir: string; npmDir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'tenon-bench-'));
  const tenonDir = join(root, 'tenon');
  const npmDir = join(root, 'node-pg-migrate');
  mkdirSync(tenonDir);
  mkdirSync(npmDir);
  for (let i = 1; i <= count; i++) {
    const { up, down } = body(i);
    writeFileSync(
      join(tenonDir, `${version(i)}_bench_${i}.sql`),
      `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`,
    );
    writeFileSync(
      join(npmDir, `${version(i)}_bench_${i}.sql`),
      `-- Up Migration\n${up}\n\n-- Down Migration\n${down}\n`,
    );
  }
  return { tenonDir, npmDir, root };
}

interface Tool {
  name: string;
  command(
    url: string,
    dirs: { tenonDir: string; npmDir: string },
  ): { cmd: string; args: string[]; env?: Record<string, string> };
}

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
/** tenon's CLI: dist/ or `--bin PATH`. */
const TENON = flag('bin') ?? join(ROOT, 'dist/cli/bin.js');
/** `--vs PATH` (repeatable): other builds of tenon's CLI, run as `up` in the same rounds. */
const VS = flags('vs');
const tenonUp = (name: string, cli: string): Tool => ({
  name,
  command: (url, d) => ({
    cmd: process.execPath,
    args: [cli, 'migrate', 'up', '--dir', d.tenonDir, '--database-url', url],
  }),
});
const ALL_TOOLS: Tool[] = [
  tenonUp('tenon', TENON),
  {
    name: 'dbmate',
    command: (url, d) => ({
      cmd: bin('dbmate'),
      args: [
        '--url',
        `${url}?sslmode=disable`,
        '--migrations-dir',
        d.tenonDir,
        '--no-dump-schema',
        'migrate',
      ],
    }),
  },
  {
    name: 'node-pg-migrate (one transaction for all)',
    command: (url, d) => ({
      cmd: bin('node-pg-migrate'),
      args: ['up', '-m', d.npmDir, '--no-verbose'],
      env: { DATABASE_URL: url },
    }),
  },
  {
    name: 'node-pg-migrate (a transaction each)',
    command: (url, d) => ({
      cmd: bin('node-pg-migrate'),
      args: ['up', '-m', d.npmDir, '--no-verbose', '--no-single-transaction'],
      env: { DATABASE_URL: url },
    }),
  },
  ...VS.map((vs, k) => tenonUp(`tenon --vs${VS.length > 1 ? ` #${k + 1}` : ''}`, vs)),
];

/** `--tools tenon,dbmate` runs a subset (names are matched by prefix), in that order in the first round. */
const toolsFlag = listFlag('tools');
const TOOLS = toolsFlag
  ? toolsFlag.flatMap((name) => ALL_TOOLS.filter((t) => t.name.startsWith(name)))
  : ALL_TOOLS;

/** Wall time of a run, in ms (throws with its stderr when it fails). */
function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  return timedProcess(cmd, args, env).wallMs;
}

async function countObjects(url: string): Promise<{ tables: number; indexes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tables: number; indexes: number }>(
      `select (select count(*)::int from pg_tables where tablename like 'bench\\_%') as tables,
              (select count(*)::int from pg_indexes where indexname like 'bench\\_%\\_name') as indexes`,
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

async function benchApply(): Promise<void> {
  const dirs = writeMigrations(COUNT);
  const times = new Map<string, ProcessTime[]>(TOOLS.map((t) => [t.name, []]));
  try {
    // A discarded warm-up run: otherwise the first measured run is the only one not following
    // another run's aftermath (1,000 tables dropped, their files deleted) and comes out up to 2x faster.
    const warm = await freshDatabase('tenon_bench_warmup');
    const w = ALL_TOOLS[1]!.command(warm, dirs);
    run(w.cmd, w.args, w.env);
    await dropDatabase('tenon_bench_warmup');
    for (let round = 0; round < ROUNDS; round++) {
      const order = TOOLS.map((_, i) => TOOLS[(i + round) % TOOLS.length]!);
      for (const tool of order) {
        const db = `tenon_bench_${round}_${TOOLS.indexOf(tool)}`;
        const url = await freshDatabase(db);
        const { cmd, args, env } = tool.command(url, dirs);
        const t = timedProcess(cmd, args, env);
        const objects = await countObjects(url);
        if (objects.tables !== COUNT || objects.indexes !== COUNT) {
          throw new Error(
            `${tool.name} left ${objects.tables} tables and ${objects.indexes} indexes, expected ${COUNT}`,
          );
        }
        times.get(tool.name)!.push(t);
        console.log(`  round ${round + 1}: ${tool.name.padEnd(42)} ${fmt(t.wallMs)}  (CPU ${fmt(t.cpuMs)})`);
        await dropDatabase(db);
      }
    }
  } finally {
    rmSync(dirs.root, { recursive: true, force: true });
  }
  const tenonTimes = times.get('tenon')!;
  console.log(`\napply ${COUNT} migrations (a table + an index each), fresh database, ${ROUNDS} rounds:`);
  console.log(
    `  ${'tool'.padEnd(42)} ${'median'.padStart(9)} ${'best'.padStart(9)} ${'CPU'.padStart(9)}  tool/tenon (median of per-round ratios): wall, CPU`,
  );
  for (const tool of TOOLS) {
    const xs = times.get(tool.name)!;
    const wall = xs.map((x) => x.wallMs);
    const ratio = median(xs.map((x, i) => x.wallMs / tenonTimes[i]!.wallMs));
    const cpuRatio = median(xs.map((x, i) => x.cpuMs / tenonTimes[i]!.cpuMs));
    const note =
      tool.name === 'tenon'
        ? ''
        : `${ratio.toFixed(2)}, ${cpuRatio.toFixed(2)}  (tenon is ${ratio >= 1 ? `${ratio.toFixed(2)}x as fast` : `${(1 / ratio).toFixed(2)}x slower`})`;
    console.log(
      `  ${tool.name.padEnd(42)} ${fmt(median(wall)).padStart(9)} ${fmt(Math.min(...wall)).padStart(9)} ${fmt(median(xs.map((x) => x.cpuMs))).padStart(9)}  ${note}`,
    );
  }
}

async function benchStatus(): Promise<void> {
  const dirs = writeMigrations(STATUS_COUNT);
  const db = 'tenon_bench_status';
  const url = await freshDatabase(db);
  try {
    // baseline records every file as applied (with its checksum) without running 5,000 migrations.
    run(process.execPath, [
      TENON,
      'migrate',
      'baseline',
      version(STATUS_COUNT),
      '--dir',
      dirs.tenonDir,
      '--database-url',
      url,
    ]);
    const text: number[] = [];
    const json: number[] = [];
    for (let i = 0; i < 5; i++) {
      text.push(
        run(process.execPath, [TENON, 'migrate', 'status', '--dir', dirs.tenonDir, '--database-url', url]),
      );
      json.push(
        run(process.execPath, [
          TENON,
          'migrate',
          'status',
          '--json',
          '--dir',
          dirs.tenonDir,
          '--database-url',
          url,
        ]),
      );
    }
    const startup = median(Array.from({ length: 5 }, () => run(process.execPath, [TENON, '--version'])));
    console.log(
      `\ntenon migrate status with ${STATUS_COUNT} applied migrations (whole process, median of 5):`,
    );
    console.log(`  status         ${fmt(median(text))}   (goal: under 1 s)`);
    console.log(`  status --json  ${fmt(median(json))}`);
    console.log(`  for scale: tenon --version (process startup only) ${fmt(startup)}`);
  } finally {
    await dropDatabase(db);
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

if (!hasSwitch('no-build')) {
  console.log(`building dist/ …`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
for (const [k, vs] of VS.entries()) console.log(`tenon --vs${VS.length > 1 ? ` #${k + 1}` : ''}: ${vs}`);
const { rows } = await withClient((c) => c.query<{ v: string }>('select version() as v'));
console.log(
  `server: ${rows[0]?.v.split(' on ')[0]}; node ${process.version}; ${COUNT} migrations, ${ROUNDS} rounds\n`,
);
await benchApply();
await benchStatus();
