import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import {
  LOCK_MODES,
  lockBlocks,
  lockCovers,
  lockName,
  predictLocks,
} from '../../../src/migrate/lint/lock-model.js';

async function locks(sql: string) {
  const tree = await parse(sql);
  const stmt = tree.stmts?.[0]?.stmt as unknown as Record<string, Record<string, unknown>>;
  const kind = Object.keys(stmt)[0]!;
  return predictLocks(kind, stmt[kind]!).map((l) => `${l.table.name}:${l.mode}${l.index ? ' (index)' : ''}`);
}

describe('predictLocks: the table locks PostgreSQL documents per command', () => {
  it.each([
    ['alter table t add column c int', ['t:AccessExclusiveLock']],
    ['alter table t validate constraint c', ['t:ShareUpdateExclusiveLock']],
    [
      'alter table t add constraint f foreign key (a) references u (id) not valid',
      ['u:ShareRowExclusiveLock', 't:ShareRowExclusiveLock'],
    ],
    [
      'alter table t add column u_id bigint references u (id)',
      ['u:ShareRowExclusiveLock', 't:AccessExclusiveLock'],
    ],
    [
      'alter table t set (fillfactor = 70), alter column c set statistics 500',
      ['t:ShareUpdateExclusiveLock'],
    ],
    ['alter table t disable trigger all', ['t:ShareRowExclusiveLock']],
    ['create index on t (a)', ['t:ShareLock']],
    ['create index concurrently on t (a)', ['t:ShareUpdateExclusiveLock']],
    ['drop index i', ['i:AccessExclusiveLock (index)']],
    ['drop index concurrently i', ['i:ShareUpdateExclusiveLock (index)']],
    ['create table c (id bigint, p bigint references p (id))', ['p:ShareRowExclusiveLock']],
    ['vacuum full t', ['t:AccessExclusiveLock']],
    ['vacuum t', ['t:ShareUpdateExclusiveLock']],
    ['truncate t, u', ['t:AccessExclusiveLock', 'u:AccessExclusiveLock']],
    ['update t set a = 1 from u where u.id = t.id', ['t:RowExclusiveLock', 'u:AccessShareLock']],
    ['lock table t in share mode', ['t:ShareLock']],
    [
      'alter table p detach partition p1 concurrently',
      ['p1:AccessExclusiveLock', 'p:ShareUpdateExclusiveLock'],
    ],
    ['refresh materialized view concurrently m', ['m:ExclusiveLock']],
  ])('%s', async (sql, expected) => {
    expect(await locks(sql)).toEqual(expected);
  });

  it('names modes and says what they block', () => {
    expect(lockName('AccessExclusiveLock')).toBe('ACCESS EXCLUSIVE');
    expect(lockName('ShareUpdateExclusiveLock')).toBe('SHARE UPDATE EXCLUSIVE');
    expect(lockBlocks('ShareLock')).toBe('blocks writes');
  });
});

describe('lockCovers: a held mode that already blocks everything another would', () => {
  it('ACCESS EXCLUSIVE covers every mode; every mode covers itself', () => {
    for (const mode of LOCK_MODES) {
      expect(lockCovers('AccessExclusiveLock', mode)).toBe(true);
      expect(lockCovers(mode, mode)).toBe(true);
    }
  });

  it('follows the conflict table, not the order of strength', () => {
    // Two SHARE holders coexist, but a writer and a SHARE holder do not: SHARE does not cover ROW EXCLUSIVE.
    expect(lockCovers('ShareLock', 'RowExclusiveLock')).toBe(false);
    expect(lockCovers('ShareRowExclusiveLock', 'RowExclusiveLock')).toBe(true);
    expect(lockCovers('ShareRowExclusiveLock', 'ShareLock')).toBe(true);
    // SHARE UPDATE EXCLUSIVE already keeps out every mode a writer's lock would; not a writer itself.
    expect(lockCovers('ShareUpdateExclusiveLock', 'RowExclusiveLock')).toBe(true);
    expect(lockCovers('ShareUpdateExclusiveLock', 'ShareLock')).toBe(false);
    expect(lockCovers('RowExclusiveLock', 'AccessExclusiveLock')).toBe(false);
    expect(lockCovers('ExclusiveLock', 'AccessShareLock')).toBe(true);
    expect(lockCovers('RowShareLock', 'AccessShareLock')).toBe(true);
    expect(lockCovers('AccessShareLock', 'RowShareLock')).toBe(false);
  });
});
