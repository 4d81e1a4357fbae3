import { createHash } from 'node:crypto';
import type { Database } from '../../core/db/database.js';
import { TenonError } from '../../core/errors.js';
import type {
  Effect,
  IndexFacts,
  LintContext,
  LintMigration,
  LintRule,
  LintSettings,
  RuleFinding,
  Severity,
  TableFacts,
} from './lint-rule.js';
import { severityRank } from './lint-rule.js';
import { type LintFileError, type LintSource, type ParsedSection, parseLintSource } from './lint-source.js';
import { type LiveCatalog, loadLiveCatalog } from './live-catalog.js';
import { lintRules } from './rules/index.js';
import { SchemaState } from './schema-state.js';
import { DEFAULT_SIZE_THRESHOLDS, decideSeverity, type SizeThresholds } from './severity.js';
import {
  list,
  locationOf,
  names,
  type QualifiedName,
  type TypeRef,
  typeRef,
  unwrap,
  walk,
} from './sql-tree.js';
import { isSuppressed, readSuppressions } from './suppressions.js';
import { builtinVolatility, type Volatility } from './volatility.js';

/** One problem lint found, placed in its file. */
export interface LintFinding {
  /** File as given (relative to the working directory when it was given so). */
  file: string;
  /** `up` or `down` section. */
  section: 'up' | 'down';
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  message: string;
  /** The safe way to do it. */
  fix: string;
  /** 1-based statement within the section. */
  statement: number;
  /** `schema.name` of the table the risk is about, when there is one. */
  table?: string;
  /** Size and activity of that table in the live database, when they set the severity. */
  tableFacts?: string;
  /** Stable across edits elsewhere in the file: hash of the rule, file, section and statement text (SARIF partialFingerprints). */
  fingerprint: string;
}

/** A finding left out, and why. */
export interface SuppressedFinding {
  file: string;
  line: number;
  rule: string;
  /** `comment` (tenon-lint-disable), `config` (lintDisable), or `new-table` (created earlier in the set). */
  reason: 'comment' | 'config' | 'new-table';
}

/** Progress of {@link lintMigrations}. */
export type LintEvent =
  | { type: 'catalog-loaded'; tables: number; functions: number }
  | { type: 'file-linted'; file: string; findings: number };

/** Options of {@link lintMigrations}. */
export interface LintOptions {
  /** The files, in the order they run (version order). */
  sources: readonly LintSource[];
  /** The database the migrations will run on: its size and activity set severities. */
  db?: Database | undefined;
  /** The server version when there is no database (`150000`); default 130000, the oldest supported. */
  serverVersion?: number | undefined;
  /** lock_timeout tenon's runner sets (ms); default 5000. */
  runnerLockTimeoutMs?: number | undefined;
  /** Rules switched off. */
  disable?: readonly string[] | undefined;
  /** Severity per rule, replacing the rule's default (`off` switches it off). */
  severity?: Readonly<Record<string, Severity | 'off'>> | undefined;
  /** Lint down sections too (default: up only, since down runs rarely and on purpose). */
  down?: boolean | undefined;
  thresholds?: SizeThresholds | undefined;
  /** The rules to run (default: all). */
  rules?: readonly LintRule[] | undefined;
  onEvent?: ((event: LintEvent) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** What {@link lintMigrations} returns. */
export interface LintResult {
  findings: LintFinding[];
  suppressed: SuppressedFinding[];
  /** Files that could not be linted (bad markers, SQL the parser rejects). */
  errors: LintFileError[];
  /** Warnings about the run itself (an unknown rule in a comment). */
  warnings: string[];
  files: number;
  statements: number;
  /** The server version the rules assumed, and where it came from. */
  serverVersion: number;
  serverVersionFrom: 'database' | 'option' | 'default';
  /** Whether a live database set severities. */
  live: boolean;
  counts: Record<Severity, number>;
}

/** The oldest PostgreSQL tenon supports: rules assume it when nothing else says. */
export const DEFAULT_LINT_SERVER_VERSION = 130000;

function checkRuleNames(rules: readonly LintRule[], options: LintOptions): void {
  const known = new Set(rules.map((r) => r.name));
  const unknown = [...(options.disable ?? []), ...Object.keys(options.severity ?? {})].filter(
    (n) => !known.has(n),
  );
  if (unknown.length > 0) {
    throw new TenonError(
      'TENON_CONFIG_INVALID',
      `Unknown lint rule${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
      {
        hint: `Rules: ${[...known].join(', ')} (docs/migrate.md#lint-rules).`,
        details: { unknown },
      },
    );
  }
}

/** Table names (as `schema.name` candidates) and function names a set of sections mentions. */
function mentioned(sections: readonly ParsedSection[]): { tables: string[]; functions: string[] } {
  const tables = new Set<string>();
  const functions = new Set<string>();
  const state = new SchemaState();
  for (const section of sections) {
    state.startMigration();
    for (const statement of section.migration.statements) {
      // One walk for tables and called functions (what calledFunctions finds: every FuncCall).
      walk(statement.stmt, (kind, inner) => {
        if (kind === 'FuncCall') {
          const fn = names(inner.funcname).at(-1)?.toLowerCase();
          if (fn) functions.add(fn);
        }
        if (kind === 'RangeVar' || (typeof inner.relname === 'string' && 'inh' in inner)) {
          const relname = String(inner.relname);
          if (typeof inner.schemaname === 'string') tables.add(`${inner.schemaname}.${relname}`);
          else
            for (const schema of new Set([...state.searchPath, 'public'])) tables.add(`${schema}.${relname}`);
        }
      });
      // Top-level relations (IndexStmt.relation, AlterTableStmt.relation) are bare RangeVars.
      for (const field of ['relation', 'table']) {
        const rv = statement.stmt[field] as { relname?: string; schemaname?: string } | undefined;
        if (rv && typeof rv.relname === 'string') {
          if (rv.schemaname) tables.add(`${rv.schemaname}.${rv.relname}`);
          else
            for (const schema of new Set([...state.searchPath, 'public']))
              tables.add(`${schema}.${rv.relname}`);
        }
      }
      // DROP TABLE / DROP INDEX name lists.
      if (statement.kind === 'DropStmt') {
        walk(statement.stmt.objects, (kind, inner) => {
          if (kind !== 'List') return;
          const parts = (inner.items as { String?: { sval?: string } }[] | undefined)?.map(
            (i) => i.String?.sval,
          );
          if (!parts?.every((p) => typeof p === 'string')) return;
          if (parts.length > 1) tables.add(parts.slice(-2).join('.'));
          else
            for (const schema of new Set([...state.searchPath, 'public']))
              tables.add(`${schema}.${parts[0]}`);
        });
      }
      state.apply(statement, section.migration.file);
    }
  }
  return {
    tables: [...tables],
    functions: [...functions].filter((f) => builtinVolatility(f) === 'unknown'),
  };
}

/** Parses `format_type` texts into type references, in one parser call. */
async function liveTypes(catalog: LiveCatalog): Promise<Map<string, TypeRef>> {
  const texts = new Set<string>();
  for (const columns of catalog.columns.values()) for (const c of columns.values()) texts.add(c.type);
  const out = new Map<string, TypeRef>();
  if (texts.size === 0) return out;
  const { parse } = await import('libpg-query');
  for (const text of texts) {
    try {
      const tree = await parse(`select null::${text}`);
      const select = unwrap(tree.stmts?.[0]?.stmt, 'SelectStmt');
      const cast = unwrap(unwrap(list(select?.targetList)[0], 'ResTarget')?.val, 'TypeCast');
      const ref = typeRef(cast?.typeName);
      if (ref) out.set(text, ref);
    } catch {
      // A type the parser cannot read back (never seen) is simply unknown.
    }
  }
  return out;
}

function tally(findings: readonly LintFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/**
 * Lints migration files with the rules of `src/migrate/lint/rules`, in the
 * order they run, tracking what earlier statements of the set created (a
 * table created earlier in the set has no other users, so lock and rewrite
 * findings on it are dropped). With a database, the tables' size and
 * activity set the severity of each finding, column types and validated
 * NOT NULL checks come from the catalog, and the server's version decides
 * version-dependent rules.
 *
 * @throws TenonError `TENON_CONFIG_INVALID` for an unknown rule in `disable` or `severity`.
 */
export async function lintMigrations(options: LintOptions): Promise<LintResult> {
  const rules = options.rules ?? lintRules;
  checkRuleNames(rules, options);
  const disabled = new Set(options.disable ?? []);
  for (const [rule, level] of Object.entries(options.severity ?? {})) if (level === 'off') disabled.add(rule);
  const active = rules.filter((r) => !disabled.has(r.name));
  const known = new Set(rules.map((r) => r.name));

  const errors: LintFileError[] = [];
  const ups: ParsedSection[] = [];
  const downs: ParsedSection[] = [];
  for (const source of options.sources) {
    const { sections, error } = await parseLintSource(source, { down: options.down === true });
    if (error) errors.push(error);
    for (const section of sections) (section.migration.section === 'up' ? ups : downs).push(section);
  }

  let catalog: LiveCatalog | undefined;
  let types = new Map<string, TypeRef>();
  if (options.db) {
    const wanted = mentioned([...ups, ...downs]);
    catalog = await loadLiveCatalog(options.db, wanted);
    types = await liveTypes(catalog);
    options.onEvent?.({
      type: 'catalog-loaded',
      tables: catalog.tables.size,
      functions: catalog.functions.size,
    });
  }
  const serverVersion = catalog?.serverVersion ?? options.serverVersion ?? DEFAULT_LINT_SERVER_VERSION;
  const settings: LintSettings = {
    serverVersion,
    runnerLockTimeoutMs: options.runnerLockTimeoutMs ?? 5000,
  };
  const findings: LintFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const warnings: string[] = [];
  let statements = 0;

  // Up sections run in order against one evolving schema; down sections each against the live one.
  const passes: ParsedSection[][] = [ups, ...downs.map((d) => [d])];
  for (const pass of passes) {
    const state = new SchemaState();
    for (const section of pass) {
      if (options.signal?.aborted) throw new TenonError('TENON_INTERRUPTED', 'Lint was interrupted.');
      statements += await lintSection(section, {
        rules: active,
        known,
        settings,
        state,
        catalog,
        types,
        thresholds: options.thresholds ?? DEFAULT_SIZE_THRESHOLDS,
        severity: options.severity ?? {},
        findings,
        suppressed,
        warnings,
      });
      options.onEvent?.({
        type: 'file-linted',
        file: section.migration.file,
        findings: findings.filter((f) => f.file === section.migration.file).length,
      });
    }
  }
  const order = new Map(options.sources.map((s, i) => [s.file, i]));
  findings.sort(
    (a, b) =>
      (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
      (a.section === b.section ? 0 : a.section === 'up' ? -1 : 1) ||
      a.line - b.line ||
      a.column - b.column ||
      severityRank(b.severity) - severityRank(a.severity),
  );
  return {
    findings,
    suppressed,
    errors,
    warnings,
    files: options.sources.length,
    statements,
    serverVersion,
    serverVersionFrom: catalog ? 'database' : options.serverVersion ? 'option' : 'default',
    live: catalog !== undefined,
    counts: tally(findings),
  };
}

interface SectionRun {
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

async function lintSection(section: ParsedSection, run: SectionRun): Promise<number> {
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

  migration.statements.forEach((statement, i) => {
    const ctx: LintContext = {
      statement,
      migration,
      earlier: migration.statements.slice(0, i),
      later: migration.statements.slice(i + 1),
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

export type { LintMigration };
