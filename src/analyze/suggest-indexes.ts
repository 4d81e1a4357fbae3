import * as z from 'zod';
import { connect, type Database } from '../core/db/index.js';
import { type AnalyzeConfigInput, analyzeConfigSchema } from './analyze-config.js';
import { type Capabilities, detectCapabilities } from './capabilities.js';
import { Catalog } from './catalog/catalog.js';
import type { IndexAdvice } from './index-advisor/advice.js';
import { adviseIndexes } from './index-advisor/advise-indexes.js';
import { givenQueries } from './queries-file.js';

/** Options of {@link suggestIndexes}. */
export const suggestIndexesOptionsSchema = z.object({
  databaseUrl: z.string().optional(),
  cwd: z.string().optional(),
  db: z.custom<Database>((value) => typeof value === 'object' && value !== null).optional(),
  /** `analyze` settings: minCalls, minCostSaving, minQueryCost, realIndexMaxTableSize, write-heavy bar. */
  config: z.custom<AnalyzeConfigInput>((value) => typeof value === 'object' && value !== null).default({}),
  /** Statements to price besides pg_stat_statements (e.g. from `--queries FILE`). */
  queries: z.array(z.string()).default([]),
});

/** Options of {@link suggestIndexes}, as given. */
export type SuggestIndexesOptions = z.input<typeof suggestIndexesOptionsSchema>;

/** The advisor's answer and what the database could do. */
export interface SuggestIndexesResult extends IndexAdvice {
  capabilities: Capabilities;
}

/**
 * Runs the index advisor alone: which indexes would cut the cost of the
 * workload's statements, with the statements each one helps and their
 * estimated cost before and after. Nothing is left in the database.
 */
export async function suggestIndexes(options: SuggestIndexesOptions = {}): Promise<SuggestIndexesResult> {
  const opts = suggestIndexesOptionsSchema.parse(options);
  const config = analyzeConfigSchema.parse(opts.config);
  const db = opts.db ?? (await connect({ databaseUrl: opts.databaseUrl, cwd: opts.cwd }));
  try {
    const capabilities = await detectCapabilities(db, opts.queries.length > 0);
    const catalog = new Catalog(db, capabilities, givenQueries(opts.queries), config.maxStatements);
    const advice = await adviseIndexes({ db, capabilities, catalog, config });
    if (!capabilities.pgStatStatements.available && opts.queries.length === 0) {
      advice.notes.unshift(
        `No statements to analyze: ${capabilities.pgStatStatements.reason}, or give them with --queries FILE.`,
      );
    }
    return { ...advice, capabilities };
  } finally {
    if (!opts.db) await db.close();
  }
}
