import type { Database } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import type { LintResult } from './lint/lint-migrations.js';
import { severityRank } from './lint/lint-rule.js';
import type { MigrateEvent } from './migrate-events.js';
import type { MigrationSource } from './migration-files.js';
import type { ResolvedMigratorOptions } from './migrator-options.js';

// Lint and its rules load only when something is pending: `status` and an up-to-date `up` must
// start in well under 300 ms (docs/migrate.md#performance).
const lintModule = () => import('./lint/lint-migrations.js');
const runLintModule = () => import('./run-lint.js');

/** `up`'s lint of the pending migrations: its result, once the rules have run. */
export interface UpLint {
  /** The findings (the `lint` event is emitted when they are ready); rejects when lint failed. */
  result(): Promise<LintResult>;
}

/** What `up`'s lint step needs from the Migrator. */
export interface UpLintInput {
  options: ResolvedMigratorOptions;
  db: Database;
  files: readonly MigrationSource[];
  /** Versions of the migrations `up` will run (planned before the lock). */
  pending: ReadonlyMap<string, unknown>;
  to: string | undefined;
  /** True when the migrations run right after (not `--dry-run`): in `warn` mode the rules may run meanwhile. */
  overlap: boolean;
  emit: (event: MigrateEvent) => void;
}

/**
 * `up`'s lint step: the pending migrations (up to `to`), weighed by the
 * live catalog. What reads the database (the catalog and its sizes) always
 * happens here, before the first migration changes it. In `lintOnUp: error`
 * the rules run here too and findings at or above `lintFailOn` refuse the
 * run; in `warn` they only inform, so with `overlap` they run while the
 * migrations do, on this thread while it waits for the server (they used to
 * be a quarter of a second of CPU before the first migration of a
 * 350-file history), and the `lint` event comes when they are done.
 *
 * @throws TenonError `TENON_MIGRATE_LINT_FAILED` (mode `error`).
 */
export async function startUpLint(input: UpLintInput): Promise<UpLint | undefined> {
  const { options, files, pending, to } = input;
  if (options.lintOnUp === 'off') return undefined;
  const selected = files.filter((f) => pending.has(f.version) && (to === undefined || f.version <= to));
  if (selected.length === 0) return undefined;
  const [{ prepareLint }, { lintSettingsOf }] = await Promise.all([lintModule(), runLintModule()]);
  const prepared = await prepareLint({
    ...lintSettingsOf(options),
    sources: selected.map((f) => ({
      file: f.file,
      text: f.text,
      sections: f.sections,
      downFile: f.downFile,
    })),
    db: input.db,
    signal: options.signal,
  });
  if (options.lintOnUp === 'warn' && input.overlap) {
    const running = prepared.run({ yieldBetweenSections: true }).then((result) => {
      input.emit({ type: 'lint', result });
      return result;
    });
    // Awaited by `up` at the end of the run; until then a failure must not be an unhandled rejection.
    running.catch(() => undefined);
    return { result: () => running };
  }
  const result = await prepared.run();
  input.emit({ type: 'lint', result });
  if (options.lintOnUp === 'error') refuseFindings(result, options.lintFailOn);
  return { result: async () => result };
}

/** `lintOnUp: error`: findings at or above `failOn` stop `up` before anything is applied. */
function refuseFindings(result: LintResult, failOn: ResolvedMigratorOptions['lintFailOn']): void {
  const failing =
    failOn === 'never' ? [] : result.findings.filter((f) => severityRank(f.severity) >= severityRank(failOn));
  if (failing.length === 0) return;
  throw new TenonError(
    'TENON_MIGRATE_LINT_FAILED',
    `lint found ${failing.length} problem${failing.length > 1 ? 's' : ''} at ${failOn} or above in the pending migrations; nothing was applied:\n${failing
      .slice(0, 20)
      .map((f) => `  ${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`)
      .join('\n')}`,
    {
      hint: 'Fix the migrations (docs/migrate.md#lint-rules says how), suppress a finding with `-- tenon-lint-disable <rule>` where it is safe, or set migrate.lintOnUp to warn.',
      details: { findings: failing },
    },
  );
}
