import { createHash } from 'node:crypto';
import type { LintFinding, SuppressedFinding } from './lint-finding.js';
import type {
  Effect,
  IndexFacts,
  LintContext,
  LintRule,
  LintSettings,
  RuleFinding,
  Severity,
  TableFacts,
} from './lint-rule.js';
import type { ParsedSection } from './lint-source.js';
import type { LiveCatalog } from './live-catalog.js';
import type { SchemaState } from './schema-state.js';
import { decideSeverity, type SizeThresholds } from './severity.js';
import { locationOf, type QualifiedName, type TypeRef } from './sql-tree.js';
import { isSuppressed, readSuppressions } from './suppressions.js';
import { builtinVolatility, type Volatility } from './volatility.js';

/** What linting one section needs: the rules and settings, the evolving schema, and where findings go. */
export interface SectionRun {
  rules: readonly LintRule[];
  known: ReadonlySet<string>;
  settings: LintSettings;
  state: SchemaState;
  catalog: LiveCatalog | undefined;
  types: ReadonlyMap<string, TypeRef>;
  thresholds: SizeThresholds;
  severity: Readonly<Record<string, Severity | 'off'>>;
  findings: LintFinding[];
  suppressed: SuppressedFinding[];
  warnings: string[];
}

/**
 * Runs the rules on every statement of one section, in order, against the
 * schema the earlier statements (and sections) left; findings and
 * suppressed findings are appended to `run`. Returns the statement count.
 */
export async function lintSection(section: ParsedSection, run: SectionRun): Promise<number> {
  const { migration } = section;
  const { state, catalog } = run;
  state.startMigration();
  const suppressions = await readSuppressions(
    section.sql,
    section.ranges,
    run.known,
    (offset) => section.position(offset).line,
  );
  for (const { line, rule } of suppressions.unknown) {
    run.warnings.push(`${migration.file}:${line}: tenon-lint-disable names an unknown rule "${rule}"`);
  }
  const exists = (key: string) => catalog?.tables.has(key) ?? false;
  const tableFacts = (name: QualifiedName): TableFacts => {
    const key = state.key(name, exists);
    const live = catalog?.tables.get(key);
    return { key, isNew: state.newTables.has(key) && live === undefined, live };
  };
  const indexFacts = (name: QualifiedName): IndexFacts | undefined => {
    const key = state.key(name, (k) => catalog?.indexes.has(k) ?? false);
    const found = state.newIndexes.get(key) ?? catalog?.indexes.get(key);
    if (!found) return undefined;
    const dot = found.table.indexOf('.');
    return {
      key,
      table: { schema: found.table.slice(0, dot), name: found.table.slice(dot + 1) },
      unique: found.unique,
    };
  };
  const volatility = (fn: string): Volatility => {
    const builtin = builtinVolatility(fn);
    if (builtin !== 'unknown') return builtin;
    const live = catalog?.functions.get(fn);
    return live === 'v' ? 'volatile' : live === 's' ? 'stable' : live === 'i' ? 'immutable' : 'unknown';
  };
  const columnType = (table: QualifiedName, column: string): TypeRef | undefined => {
    const key = state.key(table, exists);
    const created = state.newTables.get(key);
    if (created?.columns.has(column)) return created.columns.get(column);
    const live = catalog?.columns.get(key)?.get(column);
    return live ? run.types.get(live.type) : undefined;
  };
  // The database's validated NOT NULL checks count as if the set had added them.
  if (catalog) for (const check of catalog.notNullChecks) state.notNullChecks.add(check);

  const statements = migration.statements;
  statements.forEach((statement, i) => {
    const ctx: LintContext = {
      statement,
      migration,
      // Sliced only when a rule asks: copying both sides for every statement was quadratic in a
      // migration's length (a 40,000-INSERT seed file: 6 of its 9 s of lint, most of the rest GC).
      get earlier() {
        return statements.slice(0, i);
      },
      get later() {
        return statements.slice(i + 1);
      },
      settings: run.settings,
      state,
      table: tableFacts,
      index: indexFacts,
      volatility,
      columnType,
    };
    for (const rule of run.rules) {
      const raw = rule.check(ctx);
      const list: RuleFinding[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      for (const finding of list) {
        const offset = locationOf(finding.at);
        const where =
          offset !== undefined
            ? section.position(offset)
            : { line: statement.line, column: statement.column };
        if (isSuppressed(suppressions, rule.name, statement.index)) {
          run.suppressed.push({ file: migration.file, line: where.line, rule: rule.name, reason: 'comment' });
          continue;
        }
        const configured = run.severity[rule.name];
        const base =
          configured && configured !== 'off' ? configured : (finding.severity ?? rule.defaultSeverity);
        const effect: Effect = finding.effect ?? rule.effect;
        const facts = finding.table ? tableFacts(finding.table) : undefined;
        const verdict = decideSeverity(base, effect, facts, run.thresholds);
        if (!verdict.keep) {
          run.suppressed.push({
            file: migration.file,
            line: where.line,
            rule: rule.name,
            reason: verdict.why,
          });
          continue;
        }
        run.findings.push({
          file: migration.file,
          section: migration.section,
          line: where.line,
          column: where.column,
          rule: rule.name,
          severity: verdict.severity,
          message: finding.message,
          fix: finding.fix,
          statement: statement.index,
          ...(facts ? { table: facts.key } : {}),
          ...(verdict.why ? { tableFacts: verdict.why } : {}),
          fingerprint: createHash('sha256')
            .update(
              `${rule.name}\0${migration.file}\0${migration.section}\0${statement.text}\0${finding.message}`,
            )
            .digest('hex')
            .slice(0, 32),
        });
      }
    }
    state.apply(statement, migration.file);
  });
  return migration.statements.length;
}
