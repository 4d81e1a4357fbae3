import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Finding, writeFixMigrations } from '../../src/analyze/index.js';
import { parseMigrationFile } from '../../src/core/migration/migration-file.js';

function finding(check: string, name: string, up: string, down: string, migration = true): Finding {
  return {
    check,
    severity: 'warning',
    title: `${check} ${name}`,
    object: { type: 'index', name },
    evidence: {},
    recommendation: 'do it',
    fix: { name, up, down, migration },
  };
}

describe('writeFixMigrations', () => {
  it('writes one file per fix, each with its own version in the same second, and the same fix once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-fix-'));
    writeFileSync(join(dir, '20261126120000_existing.sql'), '-- migrate:up\nselect 1;\n');
    const create = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS a_idx ON public.t (a);';
    const written = await writeFixMigrations({
      dir,
      now: new Date('2026-11-26T12:00:00Z'),
      findings: [
        finding(
          'missing-fk-index',
          'add_index_a_idx',
          create,
          'DROP INDEX CONCURRENTLY IF EXISTS public.a_idx;',
        ),
        finding(
          'missing-index',
          'add_index_a_idx',
          create,
          'DROP INDEX CONCURRENTLY IF EXISTS public.a_idx;',
        ),
        finding(
          'unused-index',
          'drop_index_b_idx',
          'DROP INDEX CONCURRENTLY IF EXISTS public.b_idx;',
          'CREATE INDEX CONCURRENTLY IF NOT EXISTS b_idx ON public.t USING btree (b);',
        ),
        finding('vacuum-stale', 'vacuum_t', 'VACUUM (ANALYZE) public.t;', '', false),
      ],
    });
    expect(written.map((w) => w.version)).toEqual(['20261126120001', '20261126120002']);
    expect(written[0]!.checks).toEqual(['missing-fk-index', 'missing-index']);
    expect(readdirSync(dir).sort()).toEqual([
      '20261126120000_existing.sql',
      '20261126120001_add_index_a_idx.sql',
      '20261126120002_drop_index_b_idx.sql',
    ]);
    const text = readFileSync(written[1]!.path, 'utf8');
    expect(parseMigrationFile(text, 'x')).toMatchObject({
      up: 'DROP INDEX CONCURRENTLY IF EXISTS public.b_idx;\n',
      down: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS b_idx ON public.t USING btree (b);\n',
    });
    expect(text).toMatch(/^-- Written by tenon db \(unused-index\):/);
  });

  it('writes nothing when no finding has a migration fix', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tenon-fix-')), 'not-created');
    expect(await writeFixMigrations({ dir, findings: [] })).toEqual([]);
  });
});
