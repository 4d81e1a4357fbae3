/**
 * Start-up of `tenon migrate status` and of an up-to-date `tenon migrate up`
 * (issue 14: under 300 ms of wall time, Node start-up included) next to
 * `dbmate status` on the same migrations, on the server PostgreSQL.
 *
 *   npx tsx bench/migrate-startup.ts [--count 20] [--runs 11] [--node PATH] [--bin PATH] [--no-build]
 *
 * Writes `--count` small migrations; tenon applies them to one fresh
 * database and dbmate to another (each keeps its own history table), then
 * the commands run `--runs` times in rotating order, as real processes:
 * tenon `status`, tenon `up` with nothing to do, `dbmate status` (the Go
 * binary, and through its npm launcher, which starts Node first: what
 * `npx dbmate` runs), `tenon --version` and `node -e 0` for scale. Printed
 * per command: median and best wall time, median CPU time (user + system,
 * from bash's `times`), and for tenon's two commands the median over runs
 * of (dbmate time / tenon time), against the Go binary and the launcher. `--node` runs tenon with another Node (e.g. 24), `--bin` another
 * build of the CLI (default dist/cli/bin.js, built first unless `--no-build`).
 *
 * The machine is shared: the load average is printed before and after;
 * compare the ratios of one run, and CPU times, more than wall times.
 * Wrap runs in `flock /tmp/tenon-bench.lock …`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationVersion } from '../src/core/migration/migration-file.js';
import { flag, hasSwitch, numberFlag } from './support/args.js';
import { dropBenchDatabase, freshBenchDatabase, withClient } from './support/bench-database.js';
import { median } from './support/run.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COUNT = numberFlag('count', 20);
const RUNS = numberFlag('runs', 11);
const NODE = flag('node') ?? process.execPath;
const BIN = flag('bin') ?? join(ROOT, 'dist/cli/bin.js');
const DBMATE_LAUNCHER = join(ROOT, 'node_modules/.bin/dbmate');
const DBMATE = join(ROOT, `node_modules/@dbmate/${process.platform}-${process.arch}/bin/dbmate`);
/** Where a timed command's stderr goes (progress lines), read back when it fails. */
const STDERR = join(tmpdir(), `tenon-bench-startup-${process.pid}.err`);

/** Runs a command under bash; returns its wall time and the CPU time of it and its children (ms). */
function timed(argv: readonly string[]): { wallMs: number; cpuMs: number } {
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // The wall time is measured inside bash, around the command only (not bash's own start).
  const script = `s=$(date +%s%N); ${quoted} >/dev/null 2>${STDERR}; c=$?; e=$(date +%s%N); echo "@@ $c $(( (e - s) / 1000 ))"; times`;
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  const match = /@@ (\d+) (\d+)\n[^\n]*\n([^\n]*)/.exec(result.stdout);
  if (!match) throw new Error(`could not time ${argv.join(' ')}: ${result.stdout}${result.stderr}`);
  if (match[1] !== '0') {
    throw new Error(`${argv.join(' ')} exited ${match[1]}:\n${readFileSync(STDERR, 'utf8').slice(0, 4000)}`);
  }
  const cpuMs = [...match[3]!.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  );
  return { wallMs: Number(match[2]) / 1000, cpuMs };
}

function writeMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-bench-startup-'));
  for (let i = 1; i <= COUNT; i++) {
    const version = migrationVersion(new Date(Date.UTC(2026, 0, 1) + i * 1000));
    writeFileSync(
      join(dir, `${version}_startup_${i}.sql`),
      `-- migrate:up\ncreate table startup_${i} (id bigint generated always as identity primary key, name text not null);\n\n-- migrate:down\ndrop table startup_${i};\n`,
    );
  }
  return dir;
}

const fmt = (ms: number) => `${Math.round(ms)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

if (!hasSwitch('no-build')) {
  console.log('building dist/ …');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
const { rows } = await withClient((c) => c.query<{ v: string }>('select version() as v'));
console.log(
  `server: ${rows[0]?.v.split(' on ')[0]}; tenon on node ${nodeVersion} (${BIN}); ${COUNT} migrations, ${RUNS} runs; load average ${load()}\n`,
);

const dir = writeMigrations();
const tenonDb = 'tenon_bench_startup_tenon';
const dbmateDb = 'tenon_bench_startup_dbmate';
try {
  const tenonUrl = await freshBenchDatabase(tenonDb);
  const dbmateUrl = `${await freshBenchDatabase(dbmateDb)}?sslmode=disable`;
  const tenon = (...args: string[]) => [NODE, BIN, ...args, '--dir', dir, '--database-url', tenonUrl];
  timed(tenon('migrate', 'up'));
  timed([DBMATE, '--url', dbmateUrl, '--migrations-dir', dir, '--no-dump-schema', 'migrate']);
  const commands: { name: string; argv: string[] }[] = [
    { name: 'tenon migrate status', argv: tenon('migrate', 'status') },
    { name: 'tenon migrate up (nothing to do)', argv: tenon('migrate', 'up') },
    {
      name: 'dbmate status (Go binary)',
      argv: [DBMATE, '--url', dbmateUrl, '--migrations-dir', dir, 'status'],
    },
    {
      name: 'dbmate status (npm launcher)',
      argv: [DBMATE_LAUNCHER, '--url', dbmateUrl, '--migrations-dir', dir, 'status'],
    },
    { name: 'tenon --version', argv: [NODE, BIN, '--version'] },
    { name: 'node -e 0', argv: [NODE, '-e', '0'] },
  ];
  // One discarded round: the first runs read files the page cache may not hold yet.
  for (const c of commands) timed(c.argv);
  const times = new Map(commands.map((c) => [c.name, [] as { wallMs: number; cpuMs: number }[]]));
  for (let run = 0; run < RUNS; run++) {
    for (let j = 0; j < commands.length; j++) {
      const c = commands[(j + run) % commands.length]!;
      times.get(c.name)!.push(timed(c.argv));
    }
  }
  const wall = (name: string) => times.get(name)!.map((t) => t.wallMs);
  console.log(`whole process, ${RUNS} runs in rotating order (load average now ${load()}):`);
  console.log(
    `  ${'command'.padEnd(34)} ${'median'.padStart(7)} ${'best'.padStart(7)} ${'CPU'.padStart(7)}  dbmate / this (median of per-run ratios): Go binary, npm launcher`,
  );
  const go = wall('dbmate status (Go binary)');
  const launcher = wall('dbmate status (npm launcher)');
  for (const c of commands) {
    const w = wall(c.name);
    const cpu = median(times.get(c.name)!.map((t) => t.cpuMs));
    const ratio = (anchor: number[]) => median(w.map((x, i) => anchor[i]! / x)).toFixed(2);
    const note = c.name.startsWith('tenon migrate')
      ? `${ratio(go)}, ${ratio(launcher)}   (goal: under 300 ms; ${median(w) < 300 ? 'met' : 'not met'})`
      : '';
    console.log(
      `  ${c.name.padEnd(34)} ${fmt(median(w)).padStart(7)} ${fmt(Math.min(...w)).padStart(7)} ${fmt(cpu).padStart(7)}  ${note}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(STDERR, { force: true });
  await dropBenchDatabase(tenonDb);
  await dropBenchDatabase(dbmateDb);
}
