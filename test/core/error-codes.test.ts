import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeForKind } from '../../src/cli/exit-codes.js';
import { errorCodes } from '../../src/core/error-codes/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\|\s*`(TENON_[A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [
    m[1]!,
    { exit: Number(m[2]), summary: m[3]! },
  ]),
);

describe('docs/errors.md matches the error code registry', () => {
  it('documents every code, and only codes that exist', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(errorCodes).sort());
  });

  it.each(Object.entries(errorCodes))('%s has the same exit code and meaning', (code, info) => {
    expect(rows.get(code)).toEqual({ exit: exitCodeForKind(info.kind), summary: info.summary });
  });

  it('lists each code once', () => {
    const all = [...doc.matchAll(/^\|\s*`(TENON_[A-Z0-9_]+)`/gm)].map((m) => m[1]);
    expect(all.length).toBe(new Set(all).size);
  });

  it('names codes consistently', () => {
    for (const code of Object.keys(errorCodes)) expect(code).toMatch(/^TENON_[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });
});
