import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import {
  analyzeDatabase,
  explainQuery,
  readQueriesFile,
  readStatsSnapshot,
  renderAnalyzeHtml,
  suggestIndexes,
  takeStatsSnapshot,
  type WrittenMigration,
  writeFixMigrations,
  writeStatsSnapshot,
} from '../../analyze/index.js';
import { TenonError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { commandConfig } from '../command-config.js';
import { ExitCode } from '../exit-codes.js';
import { analyzeProgress } from '../output/analyze-progress.js';
import { renderAnalyzeReport, renderExplain, renderSuggestions } from '../output/db-report.js';
import type { ActionFactory } from './action.js';

interface DbFlags {
  writeMigrations?: boolean;
  html?: string;
  queries?: string;
  failOn?: 'warning' | 'critical';
  params?: string[];
  analyze?: boolean;
  since?: string;
}

/** Where `tenon db snapshot` writes when no file is given. */
const DEFAULT_SNAPSHOT = '.tenon/db-snapshot.json';

const ANALYZE_MAPPINGS = [
  { option: 'only', path: 'analyze.only' },
  { option: 'skip', path: 'analyze.skip' },
  { option: 'minCalls', path: 'analyze.minCalls' },
  { option: 'migrationsDir', path: 'migrate.dir' },
  { option: 'timeout', path: 'analyze.explainTimeout' },
];

async function queriesFrom(ctx: CliContext, flags: DbFlags): Promise<string[]> {
  return flags.queries ? readQueriesFile(resolve(ctx.io.cwd, flags.queries)) : [];
}

async function writeHtml(ctx: CliContext, path: string, html: string): Promise<string> {
  const target = resolve(ctx.io.cwd, path);
  try {
    await writeFile(target, html);
  } catch (error) {
    throw new TenonError(
      'TENON_ANALYZE_WRITE_FAILED',
      `Could not write ${target}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Check the path given with --html.',
      },
    );
  }
  return target;
}

/** `tenon db analyze | explain | suggest-indexes`. */
export function registerDbCommand(program: Command, action: ActionFactory): void {
  const db = program
    .command('db')
    .description('find why a PostgreSQL database is slow, and write the migrations that fix it');

  db.command('analyze')
    .description(
      'run every check: indexes, slow and N+1 queries, bloat, vacuum, wraparound, sequences, sessions',
    )
    .option('--only <checks>', 'run only these checks (comma-separated ids)')
    .option('--skip <checks>', 'skip these checks (comma-separated ids)')
    .option('--write-migrations', 'write migration files for the index fixes (into migrate.dir)')
    .option('--migrations-dir <dir>', 'where --write-migrations writes (default: migrate.dir, "migrations")')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--queries <file>', 'also analyze the SQL statements in this file')
    .option('--min-calls <n>', 'ignore statements called fewer times (index advisor, slow-query)')
    .option('--since <file>', 'count scans, block reads and statement times since this tenon db snapshot')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is this severe or worse').choices([
        'warning',
        'critical',
      ]),
    )
    .action(
      action(async (ctx, command) => {
        const flags = command.opts<DbFlags>();
        const config = commandConfig(ctx, command, ANALYZE_MAPPINGS);
        const progress = ctx.progress();
        const result = await analyzeDatabase({
          databaseUrl: config.databaseUrl,
          cwd: ctx.io.cwd,
          config: config.analyze,
          queries: await queriesFrom(ctx, flags),
          ...(flags.since ? { since: await readStatsSnapshot(resolve(ctx.io.cwd, flags.since)) } : {}),
          signal: ctx.io.signal,
          onEvent: analyzeProgress(progress),
        });
        progress.done();
        const written: WrittenMigration[] = flags.writeMigrations
          ? await writeFixMigrations({
              dir: resolve(ctx.io.cwd, config.migrate.dir),
              findings: result.findings,
            })
          : [];
        const html = flags.html ? await writeHtml(ctx, flags.html, renderAnalyzeHtml(result)) : undefined;
        if (ctx.json)
          ctx.writeJson('tenon.analyze.analyze/v1', {
            ...result,
            migrationsWritten: written,
            htmlReport: html ?? null,
          });
        else {
          ctx.out(renderAnalyzeReport(result, ctx.outColors, written));
          if (html) ctx.err(`HTML report: ${html}\n`);
        }
        const failing =
          flags.failOn === 'critical'
            ? ['critical']
            : flags.failOn === 'warning'
              ? ['critical', 'warning']
              : [];
        if (result.findings.some((f) => failing.includes(f.severity))) ctx.exitCode = ExitCode.checkFailed;
      }),
    );

  db.command('snapshot')
    .description(
      'save the statistics counters to a file; tenon db analyze --since FILE then judges what happened after it',
    )
    .argument('[file]', `where to write it (default ${DEFAULT_SNAPSHOT})`)
    .action(
      action(async (ctx, command, file) => {
        const config = commandConfig(ctx, command, ANALYZE_MAPPINGS);
        const snapshot = await takeStatsSnapshot({ databaseUrl: config.databaseUrl, cwd: ctx.io.cwd });
        const path = resolve(ctx.io.cwd, file ?? DEFAULT_SNAPSHOT);
        await writeStatsSnapshot(path, snapshot);
        const counts = {
          tables: snapshot.tables.length,
          indexes: snapshot.indexes.length,
          statements: snapshot.statements.length,
        };
        if (ctx.json)
          ctx.writeJson('tenon.analyze.snapshot/v1', {
            path,
            takenAt: snapshot.takenAt,
            database: snapshot.database,
            ...counts,
          });
        else
          ctx.out(
            `Snapshot of ${snapshot.database} at ${snapshot.takenAt}: ${counts.tables} tables, ${counts.indexes} indexes, ${counts.statements} statements → ${path}\nLater: tenon db analyze --since ${file ?? DEFAULT_SNAPSHOT}\n`,
          );
      }),
    );

  db.command('explain')
    .description('EXPLAIN one statement and say what to do about its plan')
    .argument('<sql>', 'the statement; $1, $2 … take --params')
    .option('--params <values...>', 'values for $1, $2 …')
    .option('--analyze', 'run it (EXPLAIN ANALYZE, BUFFERS) inside a transaction that is rolled back')
    .option('--timeout <duration>', 'statement_timeout for the EXPLAIN (default analyze.explainTimeout, 10s)')
    .action(
      action(async (ctx, command, sql) => {
        const flags = command.opts<DbFlags>();
        const config = commandConfig(ctx, command, ANALYZE_MAPPINGS);
        const result = await explainQuery({
          databaseUrl: config.databaseUrl,
          cwd: ctx.io.cwd,
          sql: sql!,
          params: flags.params ?? [],
          analyze: flags.analyze === true,
          config: config.analyze,
        });
        if (ctx.json) ctx.writeJson('tenon.analyze.explain/v1', result);
        else ctx.out(renderExplain(result, ctx.outColors));
      }),
    );

  db.command('suggest-indexes')
    .description('recommend indexes for the workload in pg_stat_statements, priced by the planner')
    .option('--write-migrations', 'write a migration file per recommended index (into migrate.dir)')
    .option('--migrations-dir <dir>', 'where --write-migrations writes (default: migrate.dir, "migrations")')
    .option('--min-calls <n>', 'ignore statements called fewer times (default analyze.minCalls, 10)')
    .option('--queries <file>', 'also price the SQL statements in this file')
    .action(
      action(async (ctx, command) => {
        const flags = command.opts<DbFlags>();
        const config = commandConfig(ctx, command, ANALYZE_MAPPINGS);
        const result = await suggestIndexes({
          databaseUrl: config.databaseUrl,
          cwd: ctx.io.cwd,
          config: config.analyze,
          queries: await queriesFrom(ctx, flags),
        });
        const findings = result.recommendations.map((r) => ({
          check: 'missing-index',
          severity: 'warning' as const,
          title: `${r.indexName} on ${r.table}(${r.columns.join(', ')})`,
          object: { type: 'table' as const, name: r.table },
          evidence: {},
          recommendation: `Helps ${r.queries.length} statement(s); ${r.method}, ${r.confidence} confidence.`,
          fix: { name: `add_index_${r.indexName}`, up: r.createSql, down: r.dropSql, migration: true },
        }));
        const written = flags.writeMigrations
          ? await writeFixMigrations({ dir: resolve(ctx.io.cwd, config.migrate.dir), findings })
          : [];
        if (ctx.json)
          ctx.writeJson('tenon.analyze.suggest-indexes/v1', { ...result, migrationsWritten: written });
        else ctx.out(renderSuggestions(result, ctx.outColors, written));
      }),
    );
}
