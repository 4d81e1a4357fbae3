import type { Database } from '../../core/db/database.js';
import { TenonError } from '../../core/errors.js';
import type { LintFinding, SuppressedFinding } from './lint-finding.js';
import type { LintMigration, LintRule, LintSettings, Severity } from './lint-rule.js';
import { severityRank } from './lint-rule.js';
import { lintSection } from './lint-section.js';
import { type LintFileError, type LintSource, type ParsedSection, parseLintSource } from './lint-source.js';
import { type LiveCatalog, loadLiveCatalog } from './live-catalog.js';
import { lintRules } from './rules/index.js';
import { SchemaState } from './schema-state.js';
import { DEFAULT_SIZE_THRESHOLDS, type SizeThresholds } from './severity.js';
import { list, names, type TypeRef, typeRef, unwrap, walk } from './sql-tree.js';
import { builtinVolatility } from './volatility.js';

export type { LintFinding, SuppressedFinding } from './lint-finding.js';

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
      // Only the search path matters here: the tables a statement creates are read by the rules' pass.
      state.applySearchPath(statement);
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
  const { parseTree: parse } = await import('../../core/sql/pg-wasm.js');
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
  return (await prepareLint(options)).run();
}

/** Lint with everything read that needs the database or the parser, its rules not yet run (see {@link prepareLint}). */
export interface PreparedLint {
  /**
   * Runs the rules: no database, no I/O. With `yieldBetweenSections`, it
   * gives the event loop a turn after each section, so it can run while
   * this thread waits for the server (`up` in `lintOnUp: warn`).
   */
  run(options?: { yieldBetweenSections?: boolean }): Promise<LintResult>;
}

/**
 * The first half of {@link lintMigrations}: checks the rule names, parses
 * the files and, with a database, reads the catalog facts the rules weigh
 * findings by (so they describe the database as it is now, before the
 * migrations run). The rules run when {@link PreparedLint.run} is called.
 *
 * @throws TenonError `TENON_CONFIG_INVALID` for an unknown rule in `disable` or `severity`.
 */
export async function prepareLint(options: LintOptions): Promise<PreparedLint> {
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
  return {
    async run(runOptions = {}) {
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
          if (runOptions.yieldBetweenSections) await new Promise<void>((resolve) => setImmediate(resolve));
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
    },
  };
}

export type { LintMigration };
