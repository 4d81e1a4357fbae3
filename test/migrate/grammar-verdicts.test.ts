import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationChecksum } from '../../src/core/migration/migration-file.js';
import { grammarBuild } from '../../src/core/sql/server-grammar.js';
import {
  type GrammarVerdicts,
  grammarVerdicts,
  verdictCacheDir,
} from '../../src/migrate/grammar-verdicts.js';
import type { MigrationSource } from '../../src/migrate/migration-files.js';
import { startServerCheck } from '../../src/migrate/plan.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

/** The key of a section's verdict: the SHA-256 of its text as planning reads it. */
const keyOf = (up: string) => createHash('sha256').update(up).digest('hex');

function source(version: string, up: string): MigrationSource {
  const text = `-- migrate:up\n${up}\n-- migrate:down\n`;
  const file = `${version}_x.sql`;
  return { version, name: 'x', file, path: `/m/${file}`, text, checksum: migrationChecksum(text) };
}

describe('grammarVerdicts: the server grammar acceptances kept between runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'tenon-verdicts-')), 'cache');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('TENON_CACHE_DIR names the directory, "off" keeps none, else a per-user one in the temp dir', () => {
    expect(verdictCacheDir({ TENON_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(verdictCacheDir({ TENON_CACHE_DIR: 'off' })).toBeUndefined();
    expect(verdictCacheDir({})).toBe(join(tmpdir(), `tenon-cache-${process.getuid?.()}`));
  });

  it('a recorded hash is accepted by the next process of the same build only', () => {
    expect(grammarVerdicts('libpg-query-15 15.6.3', dir).accepted(A)).toBe(false);
    grammarVerdicts('libpg-query-15 15.6.3', dir).record([A, 'not a hash']);
    const next = grammarVerdicts('libpg-query-15 15.6.3', dir);
    expect(next.accepted(A)).toBe(true);
    expect(next.accepted(B)).toBe(false);
    expect(next.accepted('not a hash')).toBe(false);
    expect(grammarVerdicts('libpg-query-15 15.6.4', dir).accepted(A)).toBe(false);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('starts the file again past 4 MB, and reads no line that is not a SHA-256', () => {
    const verdicts = grammarVerdicts('g 1', dir);
    verdicts.record([A]);
    const file = join(dir, 'server-grammar-g-1.txt');
    writeFileSync(file, `${A}\n${'x'.repeat(4 * 1024 * 1024)}\n${B.slice(1)}\n`);
    const big = grammarVerdicts('g 1', dir);
    expect(big.accepted(A)).toBe(true);
    expect(big.accepted(B.slice(1))).toBe(false);
    big.record([B]);
    expect(readFileSync(file, 'utf8')).toBe(`${B}\n`);
  });

  it('without a directory nothing is kept', () => {
    const none = grammarVerdicts('g 1', undefined);
    none.record([A]);
    expect(none.accepted(A)).toBe(false);
  });
});

describe('startServerCheck uses the kept verdicts', () => {
  /** Verdicts in memory, with what was recorded. */
  function memory(accepted: string[]): GrammarVerdicts & { recorded: string[]; builds: string[] } {
    const known = new Set(accepted);
    const recorded: string[] = [];
    const builds: string[] = [];
    return {
      recorded,
      builds,
      accepted: (c) => known.has(c),
      record: (cs) => recorded.push(...cs),
    };
  }
  // Valid from PostgreSQL 16: the grammar of 15 refuses it.
  const newerUp = 'select * from (select 1);';
  const plainUp = 'create table t (id int);';
  const newer = source('20260101000002', newerUp);
  const plain = source('20260101000001', plainUp);

  it('records the sections the grammar accepted (by SHA-256), keyed by the grammar build', async () => {
    const verdicts = memory([]);
    const check = await startServerCheck([plain], 150019, (build) => {
      verdicts.builds.push(build);
      return verdicts;
    });
    await expect(check()).resolves.toBe(true);
    expect(verdicts.recorded).toEqual([keyOf(plainUp)]);
    expect(verdicts.builds).toEqual([grammarBuild(15)]);
    expect(grammarBuild(15)).toMatch(/^libpg-query-15 15\.\d+\.\d+$/);
  });

  it('records nothing when the grammar refuses one of them', async () => {
    const verdicts = memory([]);
    const check = await startServerCheck([plain, newer], 150019, () => verdicts);
    await expect(check()).resolves.toBe(false);
    expect(verdicts.recorded).toEqual([]);
  });

  it('does not parse again a section accepted before (a kept verdict is trusted)', async () => {
    // A verdict for this exact text can only come from an earlier acceptance by the same build;
    // planting one for a section the grammar refuses shows that it is not parsed again.
    const verdicts = memory([keyOf(newerUp)]);
    const check = await startServerCheck([plain, newer], 150019, () => verdicts);
    await expect(check()).resolves.toBe(true);
    expect(verdicts.recorded).toEqual([keyOf(plainUp)]);
  });

  it('asks for no verdicts on a server whose grammar is tenon’s own (18)', async () => {
    let asked = false;
    const check = await startServerCheck([newer], 180000, () => {
      asked = true;
      return memory([]);
    });
    await expect(check()).resolves.toBe(true);
    expect(asked).toBe(false);
  });
});
