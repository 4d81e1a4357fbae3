import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Database } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import { type HistoryTableName, readHistory } from './history-table.js';
import { type LintResult, lintMigrations } from './lint/lint-migrations.js';
import type { LintSource } from './lint/lint-source.js';
import type { MigrateConfig } from './migrate-config.js';
import type { MigrationSource } from './migration-files.js';

/** Options of `Migrator.lint`. */
export interface LintCommandOptions {
  /** Files or directories to lint, in any order (they are sorted by file name, i.e. by version). Default: the migrations directory. */
  files?: readonly string[] | undefined;
  /** Lint down sections too (default: the `lintDown` setting). */
  down?: boolean | undefined;
  /** Lint every file even with a database (default: with a database, only the pending ones). */
  all?: boolean | undefined;
}

/** What `Migrator.lint` returns. */
export interface LintRunResult extends LintResult {
  /** What was linted: the files given, the pending migrations (with a database), or every migration file. */
  scope: 'files' | 'pending' | 'all';
  /** The linted files, as shown in findings. */
  linted: string[];
  /** The database whose catalog set severities (URL without password), if any. */
  database: string | undefined;
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Reads the files and directories named on the command line into lint sources, sorted by file name. */
export function readLintFiles(paths: readonly string[], cwd: string): LintSource[] {
  const found: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      throw new TenonError('TENON_MIGRATE_FILE_INVALID', `${given}: no such file or directory.`, {
        cause: error,
        hint: 'Name migration files (or directories of them) to lint, e.g. `tenon migrate lint migrations/2026*.sql`.',
        details: { file: given },
      });
    }
    if (isDir) {
      for (const name of readdirSync(path)) if (name.endsWith('.sql')) found.push(join(path, name));
    } else {
      found.push(path);
    }
  }
  const unique = [...new Set(found)].sort(
    (a, b) => basename(a).localeCompare(basename(b)) || a.localeCompare(b),
  );
  return unique.map((path) => ({ file: shown(path, cwd), text: readFileSync(path, 'utf8') }));
}

/** The lint options that come from the `migrate` settings. */
export function lintSettingsOf(config: MigrateConfig) {
  return {
    runnerLockTimeoutMs: config.lockTimeout,
    disable: config.lintDisable,
    severity: config.lintSeverity,
    serverVersion: config.lintPgVersion,
    thresholds: { smallRows: config.lintSmallTableRows, largeRows: config.lintLargeTableRows },
  };
}

/**
 * Lints what the command line asked for: the files given; else, with a
 * database, the migrations not yet applied (so tables their predecessors
 * created count as new, and live tables as live); else every file of the
 * migrations directory.
 */
export async function runLint(input: {
  config: MigrateConfig;
  options: LintCommandOptions;
  cwd: string;
  dirFiles: () => Promise<MigrationSource[]>;
  db: Database | undefined;
  history: HistoryTableName;
  signal?: AbortSignal | undefined;
}): Promise<LintRunResult> {
  const { config, options, cwd, db } = input;
  let sources: LintSource[];
  let scope: LintRunResult['scope'];
  if (options.files && options.files.length > 0) {
    sources = readLintFiles(options.files, cwd);
    scope = 'files';
  } else {
    const files = await input.dirFiles();
    let selected = files;
    scope = 'all';
    if (db && !options.all) {
      const recorded = new Set(((await readHistory(db, input.history)) ?? []).map((row) => row.version));
      selected = files.filter((f) => !recorded.has(f.version));
      scope = 'pending';
    }
    sources = selected.map((f) => ({
      file: shown(f.path, cwd),
      text: f.text,
      sections: f.sections,
      downFile: f.downFile && shown(join(dirname(f.path), f.downFile), cwd),
    }));
  }
  const result = await lintMigrations({
    ...lintSettingsOf(config),
    sources,
    db,
    down: options.down ?? config.lintDown,
    signal: input.signal,
  });
  return { ...result, scope, linted: sources.map((s) => s.file), database: db?.displayUrl };
}
