import type { Database } from '../../core/db/index.js';
import type { Capabilities } from '../capabilities.js';
import type { StatsSnapshot } from '../stats-window/stats-snapshot.js';
import { indexesInWindow, tablesInWindow } from '../stats-window/stats-window.js';
import { type ConnectionUsage, loadConnectionUsage, loadSessions, type SessionInfo } from './activity.js';
import { type BloatEstimate, loadBloatEstimates } from './bloat-estimates.js';
import { type ColumnInfo, type ForeignKeyInfo, loadColumns, loadForeignKeys } from './foreign-keys.js';
import { type IndexInfo, loadIndexes } from './indexes.js';
import { loadQueryStats, type QueryStat, type QueryStats } from './query-stats.js';
import { loadTables, type TableInfo } from './tables.js';

/**
 * Catalog data shared by the checks, each set loaded at most once per
 * analysis and only when a check asks for it. Statements can also be given
 * directly (a file of SQL) instead of read from pg_stat_statements.
 * With a snapshot, every cumulative counter (table and index scans, block
 * reads, pg_stat_statements) is what happened since it was taken.
 */
export class Catalog {
  readonly #cache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly caps: Capabilities,
    private readonly givenQueries: readonly QueryStat[] = [],
    private readonly maxStatements = 500,
    private readonly snapshot?: StatsSnapshot,
  ) {}

  #once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.#cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.#cache.set(key, value);
    }
    return value;
  }

  tables(): Promise<TableInfo[]> {
    return this.#once('tables', async () => {
      const tables = await loadTables(this.db);
      return this.snapshot ? tablesInWindow(tables, this.snapshot) : tables;
    });
  }

  indexes(): Promise<IndexInfo[]> {
    return this.#once('indexes', async () => {
      const indexes = await loadIndexes(this.db);
      return this.snapshot ? indexesInWindow(indexes, this.snapshot) : indexes;
    });
  }

  foreignKeys(): Promise<ForeignKeyInfo[]> {
    return this.#once('foreignKeys', () => loadForeignKeys(this.db));
  }

  columns(): Promise<ColumnInfo[]> {
    return this.#once('columns', () => loadColumns(this.db));
  }

  /** pg_stat_statements of this database, plus any statements given directly. */
  queryStats(): Promise<QueryStats> {
    return this.#once('queryStats', async () => {
      const baseline = this.snapshot && new Map(this.snapshot.statements.map((s) => [s.queryId, s]));
      const stats = await loadQueryStats(this.db, this.caps, this.maxStatements, baseline);
      if (this.givenQueries.length === 0) return stats;
      return { statements: [...this.givenQueries, ...stats.statements], totalMs: stats.totalMs };
    });
  }

  sessions(): Promise<SessionInfo[]> {
    return this.#once('sessions', () => loadSessions(this.db));
  }

  connectionUsage(): Promise<ConnectionUsage> {
    return this.#once('connectionUsage', () => loadConnectionUsage(this.db));
  }

  bloatEstimates(): Promise<BloatEstimate[]> {
    return this.#once('bloat', () => loadBloatEstimates(this.db));
  }

  /** Tables by `schema.name`. */
  async tableMap(): Promise<Map<string, TableInfo>> {
    return new Map((await this.tables()).map((t) => [t.qualified, t]));
  }
}
