import { createHash } from 'node:crypto';
import type { DatabaseKind } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import { type MigrationSections, parseMigrationFile } from '../core/migration/migration-file.js';
import { quoteQualified } from '../core/sql/quote.js';
import { type GrammarVerdicts, grammarVerdicts, verdictCacheDir } from './grammar-verdicts.js';
import type { MigrationSource } from './migration-files.js';
import { findNewEnumValueUse, newEnumValueUseError } from './new-enum-value-use.js';
import { ownTransactionWrapper } from './own-transaction.js';
import { isConcurrentlyStatement, withoutConcurrently } from './without-concurrently.js';

/** Which way a migration runs. */
export type Direction = 'up' | 'down';

/** One statement as it will be executed. */
export interface PlannedStatement {
  /** 1-based position within the section. */
  index: number;
  /** The SQL that runs (without CONCURRENTLY on PGlite). */
  sql: string;
  /** 1-based line and column in the migration file. */
  line: number;
  column: number;
  /** Parse-tree node type, e.g. `IndexStmt`. */
  kind: string;
  /** Why it must run outside a transaction, or undefined. */
  nonTransactional: string | undefined;
  /** True when lock_timeout must not cut it short (a concurrent build waits for old transactions by design). */
  concurrently: boolean;
  /** The parse tree, for {@link relationsOf}. */
  node: Record<string, unknown>;
  /** Set when the SQL was changed from the file's text, saying why. */
  rewritten?: string;
}

/** A migration parsed and ready to run in one direction. */
export interface MigrationPlan {
  version: string;
  name: string;
  file: string;
  path: string;
  checksum: string;
  direction: Direction;
  /** True: all statements and the history row in one transaction. False: statement by statement. */
  transactional: boolean;
  statements: PlannedStatement[];
  /** Facts worth telling the user (rewrites, why it runs outside a transaction). */
  notes: string[];
}

let parser: Promise<typeof import('../core/sql/parse.js')> | undefined;

/** libpg-query (WebAssembly) loads on first use, so `status` never pays for it. */
function loadParser(): Promise<typeof import('../core/sql/parse.js')> {
  parser ??= import('../core/sql/parse.js');
  return parser;
}

/** Starts loading tenon's parser (its WebAssembly compiles meanwhile), before the first file is parsed. */
export function preloadParser(): void {
  loadParser()
    .then((parse) => parse.preloadSqlParser())
    .catch(() => undefined);
}

/**
 * Starts checking that a server of `serverVersion` can parse the up
 * sections of `sources`, in one parse of them all (see
 * `startServerGrammarCheck`: a long history on a worker thread, while this
 * thread plans), and returns a function that waits for the verdict: false
 * when the server cannot parse one of them (or it is unknown which). A file
 * whose sections cannot be read is left out: planning reports it. Files the
 * same build of the grammar accepted before (`grammarVerdicts`, kept between
 * processes by the SHA-256 of the section) are not parsed again; when none is left, the
 * grammar is not even loaded.
 */
export async function startServerCheck(
  sources: readonly MigrationSource[],
  serverVersion: number,
  verdictsFor: (build: string) => GrammarVerdicts = (build) => grammarVerdicts(build, verdictCacheDir()),
): Promise<() => Promise<boolean>> {
  const { grammarBuild, grammarMajorFor, startServerGrammarCheck } = await import(
    '../core/sql/server-grammar.js'
  );
  const major = grammarMajorFor(serverVersion);
  if (major === undefined) return async () => true;
  const verdicts = verdictsFor(grammarBuild(major));
  const scripts: string[] = [];
  const checked: string[] = [];
  for (const source of sources) {
    let up: string;
    try {
      up = sectionsOf(source).up;
    } catch {
      // Planning the file raises its error, in file order.
      continue;
    }
    // Keyed by the section's own text, not the file's checksum: what the up section of a file is
    // depends on how tenon reads the markers, which a later tenon may read differently.
    const key = createHash('sha256').update(up).digest('hex');
    if (verdicts.accepted(key)) continue;
    scripts.push(up);
    checked.push(key);
  }
  if (scripts.length === 0) return async () => true;
  const check = startServerGrammarCheck(scripts, serverVersion);
  return async () => {
    const accepted = await check();
    if (accepted) verdicts.record(checked);
    return accepted;
  };
}

/** Splits a file into sections, with the file name in errors. */
export function sectionsOf(source: MigrationSource): MigrationSections {
  return source.sections ? { ...source.sections } : parseMigrationFile(source.text, source.file);
}

function collectRelations(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectRelations(item, out);
  } else if (node && typeof node === 'object') {
    // RangeVar appears wrapped in list items and bare in typed fields such as IndexStmt.relation.
    const wrapped = (node as { RangeVar?: { relname?: string; schemaname?: string } }).RangeVar;
    const bare = node as { relname?: unknown; schemaname?: string; inh?: unknown };
    const rangeVar = wrapped ?? (typeof bare.relname === 'string' && 'inh' in bare ? bare : undefined);
    if (rangeVar && typeof rangeVar.relname === 'string') {
      out.add(
        rangeVar.schemaname
          ? quoteQualified(rangeVar.schemaname, rangeVar.relname)
          : quoteQualified(rangeVar.relname),
      );
    }
    for (const inner of Object.values(node)) collectRelations(inner, out);
  }
  return out;
}

/**
 * Quoted names of the tables a statement refers to, from its parse tree, to
 * name the sessions in the way when it hits lock_timeout. Computed only then.
 */
export function relationsOf(statement: Pick<PlannedStatement, 'node'>): string[] {
  return [...collectRelations(statement.node, new Set())];
}

/** What a plan is made for. */
export interface PlanTarget {
  kind: DatabaseKind;
  /** The server's `server_version_num`: SQL its grammar cannot parse is refused (`TENON_SQL_UNSUPPORTED_BY_SERVER`). */
  serverVersion?: number | undefined;
}

/**
 * Parses one section of a migration with PostgreSQL's parser and decides
 * how it runs: in one transaction, or, when a statement cannot run in a
 * transaction, statement by statement. On PGlite, CONCURRENTLY is removed
 * (it has one connection) and the note says so.
 *
 * @throws TenonError `TENON_SQL_PARSE_FAILED` (file, line, column),
 *   `TENON_MIGRATE_TRANSACTION_CONTROL`, `TENON_MIGRATE_FILE_INVALID`
 */
export async function planMigration(
  source: MigrationSource,
  direction: Direction,
  target: PlanTarget,
): Promise<MigrationPlan> {
  const sections = sectionsOf(source);
  // A golang-migrate pair's down SQL is in its own file: errors point there.
  const file = direction === 'down' && source.downFile ? source.downFile : source.file;
  const sql = direction === 'up' ? sections.up : (sections.down ?? '');
  const firstLine = direction === 'up' ? sections.upLine : (sections.downLine ?? 1);
  const markedOutside = !(direction === 'up' ? sections.upTransaction : sections.downTransaction);
  // libpg-query rejects only the empty string; whitespace and comments parse to no statements.
  const { parseSql } = await loadParser();
  const parsed = sql.trim() ? await parseSql(sql, { file, lineOffset: firstLine - 1 }) : [];
  if (target.serverVersion !== undefined && parsed.length > 0) {
    // The server's own grammar too, when it is older than tenon's parser (loaded only then).
    const { checkSqlForServer, grammarMajorFor } = await import('../core/sql/server-grammar.js');
    if (grammarMajorFor(target.serverVersion) !== undefined) {
      await checkSqlForServer(sql, target.serverVersion, { file, lineOffset: firstLine - 1 });
    }
  }
  // A file that wraps itself in BEGIN … COMMIT (golang-migrate's, goose's) asks for what tenon does:
  // the statements between run in tenon's transaction (numbered from 1, placed by their lines).
  const wrapped = !markedOutside && ownTransactionWrapper(parsed);
  const body = wrapped ? parsed.slice(1, -1) : parsed;
  if (body.length === 0 && direction === 'up') {
    throw new TenonError('TENON_MIGRATE_FILE_INVALID', `${source.file}: the up section has no statements.`, {
      hint: 'Write the SQL under "-- migrate:up" (or delete the file). An empty migration would be recorded as applied, and SQL added later would never run.',
      details: { file: source.file },
    });
  }
  const control = body.find((s) => s.transactionControl);
  if (control) {
    const word = control.text.split(/\s+/)[0]?.toUpperCase() ?? 'BEGIN';
    throw new TenonError(
      'TENON_MIGRATE_TRANSACTION_CONTROL',
      `${file}:${control.line}:${control.column}: ${word} is not allowed in a migration.`,
      {
        hint: 'tenon runs each migration in its own transaction (or, when a statement such as CREATE INDEX CONCURRENTLY needs it, statement by statement outside one). Remove BEGIN/COMMIT/ROLLBACK/SAVEPOINT from the file.',
        details: { file, line: control.line, column: control.column, statement: control.text },
      },
    );
  }
  const notes: string[] = wrapped
    ? [
        `its own BEGIN (line ${parsed[0]!.line}) … COMMIT (line ${parsed[parsed.length - 1]!.line}) is the migration's transaction: tenon runs the statements between in its own`,
      ]
    : [];
  const statements: PlannedStatement[] = [];
  for (const [i, statement] of body.entries()) {
    let sqlText = statement.text;
    let nonTransactional = statement.nonTransactional;
    let rewritten: string | undefined;
    if (target.kind === 'pglite' && isConcurrentlyStatement(statement)) {
      const plain = await withoutConcurrently(statement);
      if (plain) {
        sqlText = plain;
        nonTransactional = undefined;
        rewritten = `${statement.nonTransactional} runs without CONCURRENTLY on PGlite (one connection)`;
        notes.push(`statement ${i + 1} (line ${statement.line}): ${rewritten}`);
      }
    }
    statements.push({
      index: i + 1,
      sql: sqlText,
      line: statement.line,
      column: statement.column,
      kind: statement.kind,
      nonTransactional,
      concurrently: nonTransactional !== undefined && isConcurrentlyStatement({ nonTransactional }),
      node: statement.node,
      ...(rewritten ? { rewritten } : {}),
    });
  }
  const outside = statements.filter((s) => s.nonTransactional);
  if (outside.length > 0) {
    const first = outside[0]!;
    notes.push(
      `runs outside a transaction, statement by statement: statement ${first.index} (line ${first.line}) is ${first.nonTransactional}`,
    );
  } else if (markedOutside) {
    notes.push('runs outside a transaction, statement by statement: the file says transaction:false');
  }
  const transactional = outside.length === 0 && !markedOutside;
  if (transactional) {
    const use = findNewEnumValueUse(statements);
    // The check matches the value's text, so a string that only looks like the value (inserted into
    // a text column) is refused too: `-- tenon-lint-disable enum-value-in-transaction` on the using
    // statement (or `-disable-file` in the section) is the way to say so, as for the lint rule.
    if (use) {
      // Loaded on use: it reads the SQL with libpg-query's scanner, which plan.ts loads only through loadParser.
      const { enumCheckDisabled } = await import('./enum-check-disabled.js');
      if (!(await enumCheckDisabled(sql, body, use.used.index))) throw newEnumValueUseError(source.file, use);
    }
  }
  return {
    version: source.version,
    name: source.name,
    file: source.file,
    path: source.path,
    checksum: source.checksum,
    direction,
    transactional,
    statements,
    notes,
  };
}

/**
 * Plans many migrations before anything runs, so a bad file among them
 * stops the run before the first statement.
 */
export async function planMigrations(
  sources: readonly MigrationSource[],
  direction: Direction,
  target: PlanTarget,
): Promise<MigrationPlan[]> {
  const plans: MigrationPlan[] = [];
  for (const source of sources) plans.push(await planMigration(source, direction, target));
  return plans;
}
