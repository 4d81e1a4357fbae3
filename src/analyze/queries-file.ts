import { readFile } from 'node:fs/promises';
import { TenonError } from '../core/errors.js';
import { parseSql } from '../core/sql/index.js';
import type { QueryStat } from './catalog/query-stats.js';

/**
 * Turns SQL statements given directly (instead of read from
 * pg_stat_statements) into statements the advisor can price. They have no
 * call counts, so `minCalls` does not apply to them.
 */
export function givenQueries(statements: readonly string[]): QueryStat[] {
  return statements.map((query, i) => ({
    queryId: `file:${i + 1}`,
    query,
    calls: 0,
    totalMs: 0,
    meanMs: 0,
    rows: 0,
    sharedBlocksHit: 0,
    sharedBlocksRead: 0,
  }));
}

/**
 * Reads a file of SQL statements separated by semicolons (a log extract,
 * the queries of an application) for `--queries FILE`.
 *
 * @throws TenonError `TENON_ANALYZE_QUERIES_FILE`
 */
export async function readQueriesFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TenonError('TENON_ANALYZE_QUERIES_FILE', `Cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
      hint: 'Give a file of SQL statements separated by semicolons.',
    });
  }
  try {
    return (await parseSql(text, { file: path })).map((s) => s.text);
  } catch (error) {
    throw new TenonError('TENON_ANALYZE_QUERIES_FILE', (error as Error).message, {
      cause: error,
      hint: 'Fix the SQL at the position shown; use $1, $2 … for values that vary.',
    });
  }
}
