import {
  type LintOptions,
  type LintResult,
  lintMigrations,
} from '../../../src/migrate/lint/lint-migrations.js';
import type { RuleExample } from '../../../src/migrate/lint/lint-rule.js';

/** A migration file's text with `sql` as its up section. */
export function migrationText(sql: string, down?: string): string {
  return `-- migrate:up\n${sql}\n${down === undefined ? '' : `\n-- migrate:down\n${down}\n`}`;
}

/** Lints files given as `{ name: upSql }` (in that order), without a database. */
export function lintFiles(
  files: Record<string, string>,
  options: Partial<LintOptions> = {},
): Promise<LintResult> {
  return lintMigrations({
    sources: Object.entries(files).map(([file, sql]) => ({ file, text: migrationText(sql) })),
    ...options,
  });
}

/** Lints one rule example as a single migration. */
export function lintExample(example: RuleExample, options: Partial<LintOptions> = {}): Promise<LintResult> {
  const sql = typeof example === 'string' ? example : example.sql;
  const serverVersion = typeof example === 'string' ? undefined : example.serverVersion;
  return lintFiles({ '20260101000000_example.sql': sql }, { serverVersion, ...options });
}

/** The rule names of a result's findings. */
export function rulesOf(result: LintResult): string[] {
  return result.findings.map((f) => f.rule);
}
