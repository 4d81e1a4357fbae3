import * as z from 'zod';
import { connect, type Database, sqlStateOf } from '../core/db/index.js';
import { TenonError } from '../core/errors.js';
import { parseSql } from '../core/sql/index.js';
import { type AnalyzeConfigInput, analyzeConfigSchema } from './analyze-config.js';
import { loadTables } from './catalog/tables.js';
import { explainGenericPlan } from './generic-plan.js';
import { type ExplainOutput, explainOutputOf } from './plan.js';
import { type PlanSummary, summarizePlan } from './plan-summary.js';
import { inRolledBackTransaction } from './rolled-back.js';

/** Options of {@link explainQuery}. */
export const explainOptionsSchema = z.object({
  databaseUrl: z.string().optional(),
  cwd: z.string().optional(),
  db: z.custom<Database>((value) => typeof value === 'object' && value !== null).optional(),
  /** One SQL statement; `$1…$n` placeholders take `params`. */
  sql: z.string().min(1),
  /** Values for `$1…$n`, sent as query parameters (text; PostgreSQL casts them). */
  params: z.array(z.unknown()).default([]),
  /** Run the statement (EXPLAIN ANALYZE, BUFFERS) in a transaction that is rolled back. */
  analyze: z.boolean().default(false),
  /** `analyze` settings: explainTimeout, seqScanMinRows. */
  config: z.custom<AnalyzeConfigInput>((value) => typeof value === 'object' && value !== null).default({}),
});

/** Options of {@link explainQuery}, as given. */
export type ExplainOptions = z.input<typeof explainOptionsSchema>;

/** A plan and its summary. */
export interface ExplainResult {
  sql: string;
  /** True when the statement ran (EXPLAIN ANALYZE). */
  analyzed: boolean;
  /** True when `$n` had no values and the generic plan was shown. */
  generic: boolean;
  plan: ExplainOutput;
  summary: PlanSummary;
}

/**
 * EXPLAINs one statement and summarizes the plan: the slowest node,
 * sequential scans over many rows, misestimates, sorts and hashes spilling
 * to disk, nested loops over many rows, each with what to do. With
 * `analyze`, the statement runs with `EXPLAIN (ANALYZE, BUFFERS)` inside a
 * transaction that is rolled back (so an UPDATE changes nothing) under
 * `statement_timeout`.
 *
 * @throws TenonError `TENON_ANALYZE_EXPLAIN_INVALID`, `TENON_ANALYZE_PARAMS_MISMATCH`,
 *   `TENON_ANALYZE_EXPLAIN_TIMEOUT`, `TENON_DB_QUERY_FAILED`
 */
export async function explainQuery(options: ExplainOptions): Promise<ExplainResult> {
  const opts = explainOptionsSchema.parse(options);
  const config = analyzeConfigSchema.parse(opts.config);
  const statements = await parseSql(opts.sql);
  if (statements.length !== 1) {
    throw new TenonError(
      'TENON_ANALYZE_EXPLAIN_INVALID',
      `Expected one SQL statement, got ${statements.length}.`,
      { hint: 'Give exactly one statement, without EXPLAIN in front.' },
    );
  }
  const sql = statements[0]!.text;
  if (/^explain\b/i.test(sql)) {
    throw new TenonError('TENON_ANALYZE_EXPLAIN_INVALID', 'The statement already starts with EXPLAIN.', {
      hint: 'Give the statement itself; tenon adds EXPLAIN (and ANALYZE with --analyze).',
    });
  }
  const placeholders = countPlaceholders(sql);
  const generic = opts.params.length === 0 && placeholders > 0;
  if (opts.params.length > 0 && opts.params.length !== placeholders) {
    throw paramsMismatch(
      `The statement has ${placeholders} parameter(s) and ${opts.params.length} value(s) were given.`,
    );
  }
  if (opts.analyze && generic) {
    throw paramsMismatch(`--analyze runs the statement, so its ${placeholders} parameter(s) need values.`);
  }
  const db = opts.db ?? (await connect({ databaseUrl: opts.databaseUrl, cwd: opts.cwd }));
  try {
    const plan = await inRolledBackTransaction(db, async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = ${Math.round(config.explainTimeout)}`);
      if (generic) return explainGenericPlan(tx, sql);
      const prefix = opts.analyze ? 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)' : 'EXPLAIN (FORMAT JSON)';
      const { rows } = await tx.query<Record<string, unknown>>(`${prefix} ${sql}`, opts.params);
      return explainOutputOf(rows);
    }).catch((error: unknown) => {
      if (sqlStateOf(error) === '57014') {
        throw new TenonError(
          'TENON_ANALYZE_EXPLAIN_TIMEOUT',
          `EXPLAIN was cancelled after ${config.explainTimeout} ms (analyze.explainTimeout).`,
          { cause: error, hint: 'Run without --analyze to see the estimated plan, or raise --timeout.' },
        );
      }
      throw error;
    });
    const tables = await loadTables(db);
    const tableRows = new Map(tables.map((t) => [t.name, Math.max(t.liveRows, t.reltuples)]));
    return {
      sql,
      analyzed: opts.analyze,
      generic,
      plan,
      summary: summarizePlan(plan, { largeTableRows: config.seqScanMinRows, tableRows }),
    };
  } finally {
    if (!opts.db) await db.close();
  }
}

/** The highest `$n` in a statement, ignoring string literals, comments and quoted names. */
export function countPlaceholders(sql: string): number {
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  return Math.max(0, ...[...bare.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

function paramsMismatch(message: string): TenonError {
  return new TenonError('TENON_ANALYZE_PARAMS_MISMATCH', message, {
    hint: 'Give one --params value per $n, in order (e.g. --params 42 shipped).',
  });
}
