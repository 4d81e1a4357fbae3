import type { LintStatement } from './lint-statement.js';
import type { LiveTable } from './live-catalog.js';
import type { SchemaState } from './schema-state.js';
import type { QualifiedName, TypeRef } from './sql-tree.js';

/** How bad a finding is. `error` fails CI by default; `info` never does. */
export type Severity = 'error' | 'warning' | 'info';

/** Severities from the most to the least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** `error` > `warning` > `info`. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 3 : severity === 'warning' ? 2 : 1;
}

/** True when `severity` is `threshold` or worse. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/**
 * What a finding costs the live database, which decides how the table's
 * size and activity change its severity:
 * - `rewrite`: the table (and its indexes) is written again under a lock;
 * - `scan`: the whole table is read under a lock that blocks writes (or all access);
 * - `lock`: a short lock that queues traffic behind it while it waits;
 * - `break`: running application code may fail (renames, drops);
 * - `none`: advice about the schema itself; the table's size does not matter.
 */
export type Effect = 'rewrite' | 'scan' | 'lock' | 'break' | 'none';

export type { LintStatement } from './lint-statement.js';

/** One migration (a section of one file) as the rules see it. */
export interface LintMigration {
  /** File name as shown in findings (relative to the working directory when possible). */
  file: string;
  /** `up` or `down`. */
  section: 'up' | 'down';
  /** True when tenon runs it in one transaction (no statement needs to run outside one). */
  transactional: boolean;
  statements: readonly LintStatement[];
}

/** What a rule may ask about the database the migration will meet. */
export interface TableFacts {
  /** `schema.name` as tenon resolved it (unqualified names: the `search_path` set in the migration, else `public`). */
  key: string;
  /** Created earlier in the linted set (and, with a database, not there yet): nobody else uses it. */
  isNew: boolean;
  /** Size and activity from the live database, when one was given and the table exists there. */
  live: LiveTable | undefined;
}

/** What is known about an index. */
export interface IndexFacts {
  /** `schema.name` of the index. */
  key: string;
  table: QualifiedName;
  unique: boolean;
}

/** The settings a lint run was made with. */
export interface LintSettings {
  /** `server_version_num` of the target (e.g. 150004): from the database, `--pg-version`, or 130000. */
  serverVersion: number;
  /** The lock_timeout tenon's runner sets for every migration (ms; 0: none). */
  runnerLockTimeoutMs: number;
}

/** Everything a rule sees for one statement. */
export interface LintContext {
  statement: LintStatement;
  migration: LintMigration;
  /** Statements of the same migration before this one. */
  earlier: readonly LintStatement[];
  /** Statements of the same migration after this one. */
  later: readonly LintStatement[];
  settings: LintSettings;
  /** What the linted set has done to the schema before this statement. */
  state: SchemaState;
  /** Facts about a table named in the statement. */
  table(name: QualifiedName): TableFacts;
  /** `volatile`, `stable`, `immutable`, or `unknown` for a function name (built-ins known; others from the database). */
  volatility(functionName: string): 'volatile' | 'stable' | 'immutable' | 'unknown';
  /** An index by name: created in the set, or found in the database (with a database URL). */
  index(name: QualifiedName): IndexFacts | undefined;
  /** The current type of a column: from a `CREATE TABLE` in the set, or from the database. */
  columnType(table: QualifiedName, column: string): TypeRef | undefined;
}

/** What a rule reports; the runner adds the file, position, rule name and final severity. */
export interface RuleFinding {
  /** What is wrong, for this statement. */
  message: string;
  /** The safe way to do it. */
  fix: string;
  /** The node to point at (its `location`); default: the statement. */
  at?: unknown;
  /** The table the risk is about; findings on tables new in the set are dropped for effects other than `none`. */
  table?: QualifiedName;
  /** Overrides the rule's effect for this finding. */
  effect?: Effect;
  /** Overrides the rule's default severity for this finding (before size adjustment). */
  severity?: Severity;
}

/** An example of a rule: an up section, optionally linted as for a given server version. */
export type RuleExample = string | { sql: string; serverVersion: number };

/**
 * A lint rule: one file under `src/migrate/lint/rules/`, named after it. Every
 * rule runs the contract test in `test/migrate/lint/rule-contract.test.ts`:
 * its `bad` examples must produce a finding of the rule and its `good`
 * examples none, and docs/migrate.md must document it.
 */
export interface LintRule {
  /** kebab-case, equal to the file name. */
  name: string;
  /** One sentence: what it catches. */
  summary: string;
  defaultSeverity: Severity;
  effect: Effect;
  /** The rules of other tools that catch the same thing (for the table in docs/migrate.md). */
  counterparts: { squawk: readonly string[]; strongMigrations: readonly string[] };
  /** SQL that must trigger the rule and SQL that must not (each a whole up section). */
  examples: { bad: readonly RuleExample[]; good: readonly RuleExample[] };
  /** Looks at one statement; returns nothing when it has nothing to say. */
  check(ctx: LintContext): RuleFinding[] | RuleFinding | undefined;
}
