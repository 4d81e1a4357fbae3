import type { Database } from '../../core/db/index.js';
import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import { TAG } from '../sql-text.js';
import type { CostingMethod } from './advice.js';
import type { CandidateIndex } from './candidates.js';

/**
 * A way to make candidate indexes visible to the planner for a moment:
 * hypothetical (hypopg) or real but rolled back.
 */
export interface WhatIf {
  readonly method: Exclude<CostingMethod, 'pg-stats'>;
  /**
   * Makes `candidates` exist while `fn` runs and removes them afterwards.
   * `fn` gets the session to EXPLAIN on and the names plans will show for
   * each candidate, in order.
   */
  withIndexes<T>(
    candidates: readonly CandidateIndex[],
    fn: (db: Database, names: string[]) => Promise<T>,
  ): Promise<T>;
}

function columnList(candidate: CandidateIndex): string {
  return candidate.columns.map(quoteIdent).join(', ');
}

/** hypopg: hypothetical indexes, private to this session, free to create. */
export function hypopgWhatIf(tx: Database): WhatIf {
  return {
    method: 'hypopg',
    async withIndexes(candidates, fn) {
      const created: { oid: string; name: string }[] = [];
      try {
        for (const candidate of candidates) {
          const ddl = `CREATE INDEX ON ${quoteQualified(candidate.schema, candidate.tableName)} (${columnList(candidate)})`;
          const { rows } = await tx.query<{ indexrelid: string; indexname: string }>(
            `select ${TAG} indexrelid::text as indexrelid, indexname from hypopg_create_index($1)`,
            [ddl],
          );
          created.push({ oid: rows[0]!.indexrelid, name: rows[0]!.indexname });
        }
        return await fn(
          tx,
          created.map((c) => c.name),
        );
      } finally {
        for (const { oid } of created) await tx.query(`select ${TAG} hypopg_drop_index($1::oid)`, [oid]);
      }
    },
  };
}

class Rollback<T> {
  constructor(readonly value: T) {}
}

let counter = 0;

/**
 * Real indexes built inside a savepoint that is always rolled back: exact
 * sizes and plans, at the price of building them (and a SHARE lock on the
 * table while they exist, bounded by lock_timeout). Used on PGlite, which
 * has no hypopg and no other sessions to block, and on small tables.
 */
export function realIndexWhatIf(tx: Database): WhatIf {
  return {
    method: 'real-index',
    async withIndexes(candidates, fn) {
      try {
        await tx.transaction(async (sp) => {
          await sp.query(`SET LOCAL lock_timeout = '2s'`);
          const names: string[] = [];
          for (const candidate of candidates) {
            const name = `tenon_candidate_${++counter}`;
            await sp.query(
              `CREATE INDEX ${name} ON ${quoteQualified(candidate.schema, candidate.tableName)} (${columnList(candidate)})`,
            );
            names.push(name);
          }
          throw new Rollback(await fn(sp, names));
        });
      } catch (thrown) {
        if (thrown instanceof Rollback) return thrown.value as never;
        throw thrown;
      }
      throw new Error('unreachable: the savepoint is always rolled back');
    },
  };
}
