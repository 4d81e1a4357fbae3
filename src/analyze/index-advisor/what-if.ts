import type { Database } from '../../core/db/index.js';
import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import type { Capabilities } from '../capabilities.js';
import { TAG } from '../sql-text.js';
import type { CostingMethod } from './advice.js';
import { type CandidateIndex, indexBody } from './candidates.js';

/**
 * A way to make candidate indexes visible to the planner for a moment:
 * hypothetical (hypopg) or real but rolled back.
 */
export interface WhatIf {
  readonly method: Exclude<CostingMethod, 'pg-stats'>;
  /**
   * Makes `candidates` exist while `fn` runs and removes them afterwards.
   * `fn` gets the session to EXPLAIN on and, for each candidate in order,
   * the names plans will show for it (one per leaf partition of a
   * partitioned table).
   */
  withIndexes<T>(
    candidates: readonly CandidateIndex[],
    fn: (db: Database, names: string[][]) => Promise<T>,
  ): Promise<T>;
}

/** The leaf partitions of a partitioned table (`schema.table` → `schema.leaf`…); a plain table is its own leaf. */
export type LeavesOf = (table: string) => string[];

/** Whether hypopg can make this candidate (it has no GIN). */
export function hypopgCanPrice(candidate: CandidateIndex): boolean {
  return candidate.method === 'btree';
}

/** hypopg: hypothetical indexes, private to this session, free to create; on each leaf of a partitioned table. */
export function hypopgWhatIf(tx: Database, leavesOf: LeavesOf): WhatIf {
  return {
    method: 'hypopg',
    async withIndexes(candidates, fn) {
      const created: string[] = [];
      try {
        const names: string[][] = [];
        for (const candidate of candidates) {
          const own: string[] = [];
          for (const leaf of leavesOf(candidate.table)) {
            const dot = leaf.indexOf('.');
            const ddl = `CREATE INDEX ON ${quoteQualified(leaf.slice(0, dot), leaf.slice(dot + 1))} ${indexBody(candidate)}`;
            const { rows } = await tx.query<{ indexrelid: string; indexname: string }>(
              `select ${TAG} indexrelid::text as indexrelid, indexname from hypopg_create_index($1)`,
              [ddl],
            );
            created.push(rows[0]!.indexrelid);
            own.push(rows[0]!.indexname);
          }
          names.push(own);
        }
        return await fn(tx, names);
      } finally {
        for (const oid of created) await tx.query(`select ${TAG} hypopg_drop_index($1::oid)`, [oid]);
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
 * has no hypopg and no other sessions to block, on small tables, and for
 * the trigram indexes hypopg cannot make. On a partitioned table the build
 * cascades to the partitions, whose index names the plans show.
 */
export function realIndexWhatIf(
  tx: Database,
  isPartitioned: (table: string) => boolean,
  trigramSchema?: () => string | undefined,
): WhatIf {
  return {
    method: 'real-index',
    async withIndexes(candidates, fn) {
      try {
        await tx.transaction(async (sp) => {
          await sp.query(`SET LOCAL lock_timeout = '2s'`);
          const names: string[][] = [];
          for (const candidate of candidates) {
            const name = `tenon_candidate_${++counter}`;
            const body = indexBody(
              candidate,
              candidate.method === 'gin-trgm' ? trigramSchema?.() : undefined,
            );
            await sp.query(
              `CREATE INDEX ${name} ON ${quoteQualified(candidate.schema, candidate.tableName)} ${body}`,
            );
            if (!isPartitioned(candidate.table)) {
              names.push([name]);
              continue;
            }
            const { rows } = await sp.query<{ name: string }>(
              `select ${TAG} c.relname as name from pg_partition_tree($1::regclass) t join pg_class c on c.oid = t.relid`,
              [`${quoteIdent(candidate.schema)}.${name}`],
            );
            names.push(rows.map((r) => r.name));
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

/**
 * hypopg for this transaction: created inside it when installable (it exists
 * only while the advisor runs), or undefined with a note saying why not.
 */
export async function prepareHypopg(
  tx: Database,
  caps: Capabilities,
  notes: string[],
  leaves: (table: string) => string[],
): Promise<WhatIf | undefined> {
  if (!caps.hypopg.available) {
    if (caps.hypopg.reason) notes.push(caps.hypopg.reason);
    return undefined;
  }
  if (caps.hypopg.installed) return hypopgWhatIf(tx, leaves);
  try {
    // Created inside the rolled-back transaction: it exists only while the advisor runs.
    await tx.transaction((sp) => sp.query(`CREATE ${TAG} EXTENSION IF NOT EXISTS hypopg`));
    return hypopgWhatIf(tx, leaves);
  } catch (error) {
    notes.push(
      `hypopg could not be created (${(error as Error).message}); falling back to real indexes and pg_stats`,
    );
    return undefined;
  }
}
