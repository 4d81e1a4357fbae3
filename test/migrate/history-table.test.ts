import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteLiteral, quoteMilliseconds } from '../../src/core/sql/quote.js';
import {
  deleteHistorySql,
  insertHistorySql,
  selectHistorySql,
  updateHistorySql,
} from '../../src/migrate/history-table.js';

const table = { schema: 'ops', table: 'History' };

describe('history table SQL', () => {
  it('quotes identifiers and literals so any value round-trips', () => {
    expect(quoteIdent('Mixed"Case')).toBe('"Mixed""Case"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(quoteLiteral('nul\0byte')).toBe("'nulbyte'");
    expect(quoteMilliseconds(1500.4)).toBe("'1500ms'");
  });

  it('builds the statements the runner sends', () => {
    expect(selectHistorySql(table)).toBe(
      'select version, name, checksum, state, statements_done, statements_total, applied_at, execution_ms, applied_by, error from ops."History" order by version',
    );
    expect(
      insertHistorySql(table, [
        {
          version: '20260101000000',
          name: 'x',
          checksum: 'abc',
          state: 'dirty',
          statementsDone: 1,
          statementsTotal: 3,
          executionMs: 12.6,
          error: "statement 2 of 3 did not finish: 'x'",
        },
        {
          version: '20260101000001',
          name: 'y',
          checksum: 'def',
          state: 'applied',
          statementsDone: 0,
          statementsTotal: 0,
          executionMs: 0,
          appliedByExpression: "current_user || ' (baseline)'",
        },
      ]),
    ).toBe(
      `insert into ops."History" (version, name, checksum, state, statements_done, statements_total, execution_ms, applied_by, error) values
  ('20260101000000', 'x', 'abc', 'dirty', 1, 3, 13, current_user, 'statement 2 of 3 did not finish: ''x'''),
  ('20260101000001', 'y', 'def', 'applied', 0, 0, 0, current_user || ' (baseline)', null)`,
    );
    expect(updateHistorySql(table, '20260101000000', { state: "'applied'", error: 'null' })).toBe(
      `update ops."History" set state = 'applied', error = null where version = '20260101000000'`,
    );
    expect(deleteHistorySql(table, '20260101000000')).toBe(
      `delete from ops."History" where version = '20260101000000'`,
    );
  });
});
