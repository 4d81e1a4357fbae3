/**
 * tenon migrate vs dbmate on a real migration history, on the server PostgreSQL.
 *
 *   npx tsx bench/migrate-history.ts [--copies 5] [--rounds 5] [--bin PATH] [--vs PATH …] [--no-build]
 *   (TENON_CORPUS_DIR=/path/to/corpus when ../shared/corpus is not next to the checkout)
 *
 * The history: the corpus's supabase/auth migrations (70 real files: tables,
 * functions, DO blocks, backfills, 2019–2026), `--copies` times, each copy in
 * a schema of its own (auth_1 …), versions shifted so copies follow one
 * another: 5 copies = 350 migrations, the class of history where tenon was
 * 1.6x slower than dbmate (issue 14). Each tool applies all of it to a fresh
 * database, as a real process (startup included), in rotating order over
 * several rounds after a discarded warm-up; printed: median and best wall
 * time, and the median over rounds of (tool time / tenon time). tenon runs
 * as `up` runs by default (lint first, `lintOnUp: warn`) and with
 * `--lint off`. Then, on the migrated database: `tenon migrate status` and
 * an up-to-date `tenon migrate up` (whole process, median of 7), next to
 * `dbmate status` and `tenon --version` (process start-up only). Every
 * time comes with the CPU time (user + system) of the tool's process and its
 * children: on a loaded machine it says what a tool costs. `--bin` runs
 * another build of tenon's CLI; `--vs` adds one (`tenon --vs`) to the rounds,
 * and may be given several times (`tenon --vs #1` …); `--no-build` skips the
 * `npm run build` that otherwise comes first.
 *
 * Wrap runs in `flock /tmp/tenon-bench.lock …`; compare the ratios of one run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir } from '../test/support/corpus-dir.js';
import { flag, flags, hasSwitch, numberFlag } from './support/args.js';
import { dropBenchDatabase, freshBenchDatabase, withClient } from './support/bench-database.js';
import { type ProcessTime, timedProcess } from './support/timed-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The corpus next to the checkout (`../shared/corpus`), or `TENON_CORPUS_DIR` (a worktree elsewhere). */
const CORPUS = join(corpusDir(), 'migrations/supabase-auth');
const COPIES = numberFlag('copies', 5);
const ROUNDS = numberFlag('rounds', 5);

/** A fresh database with the copies' schemas (supabase/auth expects its schema to exist). */
async function freshDatabase(name: string): Promise<string> {
  const url = await freshBenchDatabase(name);
  await withClient(async (c) => {
    for (let k = 1; k <= COPIES; k++) await c.query(`create schema auth_${k}`);
  }, url);
  return url;
}

const dropDatabase = dropBenchDatabase;

/** supabase/auth's files, `COPIES` times, each in schema auth_k, versions 20000000000000 + … */
function writeHistory(): { dir: string; count: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-bench-history-'));
  const files = readdirSync(CORPUS)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  let count = 0;
  for (let k = 1; k <= COPIES; k++) {
    for (const [i, file] of files.entries()) {
      const text = readFileSync(join(CORPUS, file), 'utf8')
        .replace(/\bauth\./g, `auth_${k}.`)
        .replace(/"auth"/g, `"auth_${k}"`)
        .replace(/'auth'/g, `'auth_${k}'`);
      // dbmate requires a down marker; an empty down section is irreversible for both tools.
      const withDown = /^--\s*migrate:down/m.test(text) ? text : `${text}\n-- migrate:down\n`;
      const version = String(20000000000000 + (k * 1000 + i) * 1000000);
      writeFileSync(join(dir, `${version}_${file.slice(15)}`), withDown);
      count++;
    }
  }
  return { dir, count };
}

const run = timedProcess;

const TENON = flag('bin') ?? join(ROOT, 'dist/cli/bin.js');
/** `--vs PATH` (repeatable): other builds of tenon's CLI (e.g. before a change), run as `up` in the same rounds. */
const VS = flags('vs');
/** `--no-build`: run dist/ (or `--bin`) as it is, without `npm run build` first. */
const BUILD = !hasSwitch('no-build');
const DBMATE = join(ROOT, 'node_modules/.bin/dbmate');
const tools: { name: string; args: (url: string, dir: string) => [string, string[]] }[] = [
  {
    name: 'tenon',
    args: (url, dir) => [process.execPath, [TENON, 'migrate', 'up', '--dir', dir, '--database-url', url]],
  },
  {
    name: 'tenon --lint off',
    args: (url, dir) => [
      process.execPath,
      [TENON, 'migrate', 'up', '--lint', 'off', '--dir', dir, '--database-url', url],
    ],
  },
  {
    name: 'dbmate',
    args: (url, dir) => [
      DBMATE,
      ['--url', `${url}?sslmode=disable`, '--migrations-dir', dir, '--no-dump-schema', 'migrate'],
    ],
  },
  ...VS.map((vs, k) => ({
    name: `tenon --vs${VS.length > 1 ? ` #${k + 1}` : ''}`,
    args: (url: string, dir: string): [string, string[]] => [
      process.execPath,
      [vs, 'migrate', 'up', '--dir', dir, '--database-url', url],
    ],
  })),
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

if (BUILD) {
  console.log('building dist/ …');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
for (const [k, vs] of VS.entries()) console.log(`tenon --vs${VS.length > 1 ? ` #${k + 1}` : ''}: ${vs}`);
const { dir, count } = writeHistory();
const version = await withClient((c) => c.query<{ v: string }>('select version() as v'));
console.log(
  `server: ${version.rows[0]?.v.split(' on ')[0]}; node ${process.version}; ${count} migrations (supabase/auth x${COPIES}), ${ROUNDS} rounds\n`,
);
try {
  const warm = await freshDatabase('tenon_bench_hist_warm');
  const [wc, wa] = tools.find((t) => t.name === 'dbmate')!.args(warm, dir);
  run(wc, wa);
  await dropDatabase('tenon_bench_hist_warm');
  const times = new Map(tools.map((t) => [t.name, [] as ProcessTime[]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < tools.length; j++) {
      const tool = tools[(j + round) % tools.length]!;
      const db = `tenon_bench_hist_${round}_${j}`;
      const url = await freshDatabase(db);
      const [cmd, args] = tool.args(url, dir);
      const t = run(cmd, args);
      times.get(tool.name)!.push(t);
      console.log(`  round ${round + 1}: ${tool.name.padEnd(18)} ${fmt(t.wallMs)}  (CPU ${fmt(t.cpuMs)})`);
      await dropDatabase(db);
    }
  }
  const tenonTimes = times.get('tenon')!;
  console.log(`\napply ${count} migrations to a fresh database, ${ROUNDS} rounds:`);
  console.log(
    `  ${'tool'.padEnd(18)} ${'median'.padStart(9)} ${'best'.padStart(9)} ${'CPU'.padStart(9)}  tool/tenon (median of per-round ratios): wall, CPU`,
  );
  for (const tool of tools) {
    const xs = times.get(tool.name)!;
    const wall = xs.map((x) => x.wallMs);
    const ratio = median(xs.map((x, i) => x.wallMs / tenonTimes[i]!.wallMs));
    const cpuRatio = median(xs.map((x, i) => x.cpuMs / tenonTimes[i]!.cpuMs));
    console.log(
      `  ${tool.name.padEnd(18)} ${fmt(median(wall)).padStart(9)} ${fmt(Math.min(...wall)).padStart(9)} ${fmt(median(xs.map((x) => x.cpuMs))).padStart(9)}  ${tool.name === 'tenon' ? '' : `${ratio.toFixed(2)}, ${cpuRatio.toFixed(2)}`}`,
    );
  }

  const db = 'tenon_bench_hist_status';
  const url = await freshDatabase(db);
  try {
    const [cmd, args] = tools[1]!.args(url, dir);
    run(cmd, args);
    const repeat = (c: string, a: string[]) => {
      const xs = Array.from({ length: 7 }, () => run(c, a));
      return { wallMs: median(xs.map((x) => x.wallMs)), cpuMs: median(xs.map((x) => x.cpuMs)) };
    };
    const status = repeat(process.execPath, [
      TENON,
      'migrate',
      'status',
      '--dir',
      dir,
      '--database-url',
      url,
    ]);
    const upToDate = repeat(process.execPath, [TENON, 'migrate', 'up', '--dir', dir, '--database-url', url]);
    const dbmateStatus = repeat(DBMATE, [
      '--url',
      `${url}?sslmode=disable`,
      '--migrations-dir',
      dir,
      'status',
    ]);
    const startup = repeat(process.execPath, [TENON, '--version']);
    const line = (t: ProcessTime) => `${fmt(t.wallMs).padStart(8)}  (CPU ${fmt(t.cpuMs).padStart(6)})`;
    console.log(`\non the migrated database (${count} applied), whole process, median of 7:`);
    console.log(`  tenon migrate status        ${line(status)}   (goal: under 300 ms)`);
    console.log(`  tenon migrate up (nothing)  ${line(upToDate)}   (goal: under 300 ms)`);
    console.log(`  dbmate status               ${line(dbmateStatus)}`);
    console.log(`  tenon --version             ${line(startup)}   (process start-up only)`);
  } finally {
    await dropDatabase(db);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
