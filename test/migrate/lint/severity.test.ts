import { describe, expect, it } from 'vitest';
import type { TableFacts } from '../../../src/migrate/lint/lint-rule.js';
import type { LiveTable } from '../../../src/migrate/lint/live-catalog.js';
import { decideSeverity } from '../../../src/migrate/lint/severity.js';

const live = (rows: number, bytes: number, scans = 100, writes = 100): LiveTable => ({
  key: 'public.t',
  rows,
  bytes,
  scans,
  writes,
});
const facts = (l?: LiveTable, isNew = false): TableFacts => ({ key: 'public.t', isNew, live: l });

describe('decideSeverity: the live table sets the severity', () => {
  it('a rewrite of a 10-row table is info, of a 10M-row table an error, warning between', () => {
    expect(decideSeverity('error', 'rewrite', facts(live(10, 8192)))).toMatchObject({ severity: 'info' });
    expect(decideSeverity('error', 'rewrite', facts(live(10_000_000, 400 * 1024 ** 2)))).toMatchObject({
      severity: 'error',
    });
    expect(decideSeverity('error', 'rewrite', facts(live(200_000, 20 * 1024 ** 2)))).toMatchObject({
      severity: 'warning',
    });
    expect(decideSeverity('warning', 'scan', facts(live(5, 2 * 1024 ** 3)))).toMatchObject({
      severity: 'error',
    });
  });

  it('the finding says which figures it used', () => {
    const verdict = decideSeverity('error', 'rewrite', facts(live(12_345_678, 1.5 * 1024 ** 3, 4100, 812)));
    expect(verdict).toEqual({
      keep: true,
      severity: 'error',
      why: 'public.t: 12.3M rows, 1.5 GB, 4100 scans and 812 writes since the statistics were reset',
    });
  });

  it('a lock or break on a table nobody uses (or an empty one) is info; on a used one the rule decides', () => {
    expect(decideSeverity('warning', 'break', facts(live(1000, 8192, 0, 0)))).toMatchObject({
      severity: 'info',
    });
    expect(decideSeverity('warning', 'lock', facts(live(0, 8192)))).toMatchObject({ severity: 'info' });
    expect(decideSeverity('warning', 'break', facts(live(1000, 8192, 5, 0)))).toMatchObject({
      severity: 'warning',
    });
    expect(decideSeverity('warning', 'lock', facts(live(5_000_000, 8192, 5, 0)))).toMatchObject({
      severity: 'error',
    });
    expect(decideSeverity('warning', 'break', facts(live(5_000_000, 8192, 5, 0)))).toMatchObject({
      severity: 'warning',
    });
  });

  it('drops findings on new tables, keeps the default without live figures, ignores size for effect none', () => {
    expect(decideSeverity('error', 'rewrite', facts(undefined, true))).toEqual({
      keep: false,
      why: 'new-table',
    });
    expect(decideSeverity('error', 'rewrite', facts())).toEqual({ keep: true, severity: 'error' });
    expect(decideSeverity('info', 'none', facts(live(10_000_000, 0), true))).toEqual({
      keep: true,
      severity: 'info',
    });
  });

  it('uses the configured thresholds', () => {
    const thresholds = { smallRows: 10, largeRows: 100 };
    expect(decideSeverity('error', 'rewrite', facts(live(150, 8192)), thresholds)).toMatchObject({
      severity: 'error',
    });
  });
});
