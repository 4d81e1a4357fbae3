import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../../src/migrate/lint/lint-rule.js';
import { lintRules } from '../../../src/migrate/lint/rules/index.js';
import { lintExample } from './support.js';

/*
 * The contract every lint rule runs: one file per rule named after it, the
 * shared shape, its own examples (bad ones report it, good ones do not),
 * and a section plus a table row in docs/migrate.md that match its metadata.
 */

const rulesDir = new URL('../../../src/migrate/lint/rules/', import.meta.url);
const docs = readFileSync(new URL('../../../docs/migrate.md', import.meta.url), 'utf8');
const exampleLabel = (e: string | { sql: string; serverVersion: number }) =>
  typeof e === 'string' ? e : `${e.sql} (PostgreSQL ${e.serverVersion})`;

function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

const tableRows = new Map(
  [...docs.matchAll(/^\| \[`([a-z0-9-]+)`\]\(#[a-z0-9-]+\) +\| (\w+) +\| (.+?) \| (.*?) \| (.*?) \|$/gm)].map(
    (m) => [m[1]!, { severity: m[2]!, squawk: backticked(m[4]!), strongMigrations: backticked(m[5]!) }],
  ),
);

function section(name: string): string | undefined {
  const start = docs.indexOf(`#### \`${name}\`\n`);
  if (start < 0) return undefined;
  const next = docs.indexOf('\n#', start + 5);
  return docs.slice(start, next < 0 ? undefined : next);
}

describe('lint rules: one file each, one shape', () => {
  it('every file under rules/ holds one registered rule named after the file', async () => {
    const files = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(lintRules.map((r) => r.name).sort());
    for (const file of files) {
      const module = (await import(new URL(file, rulesDir).href)) as Record<string, unknown>;
      const exported = Object.values(module).filter(
        (v) => typeof v === 'object' && v !== null && 'check' in v,
      );
      expect(exported.map((r) => (r as unknown as { name: string }).name)).toEqual([
        file.replace(/\.ts$/, ''),
      ]);
    }
  });

  it('names are unique', () => {
    expect(new Set(lintRules.map((r) => r.name)).size).toBe(lintRules.length);
  });

  it('the docs table lists every rule and nothing else', () => {
    expect([...tableRows.keys()].sort()).toEqual(lintRules.map((r) => r.name).sort());
  });
});

describe.each(lintRules.map((rule) => [rule.name, rule] as const))('rule %s', (name, rule) => {
  it('has the shared shape', () => {
    expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(rule.summary).toMatch(/^[A-Za-z`(].*\.$/s);
    expect(SEVERITIES).toContain(rule.defaultSeverity);
    expect(['rewrite', 'scan', 'lock', 'break', 'none']).toContain(rule.effect);
    expect(rule.examples.bad.length).toBeGreaterThan(0);
    expect(rule.examples.good.length).toBeGreaterThan(0);
  });

  it.each(rule.examples.bad.map((e) => [exampleLabel(e), e] as const))('reports: %s', async (_, example) => {
    const result = await lintExample(example);
    expect(result.errors).toEqual([]);
    const mine = result.findings.filter((f) => f.rule === name);
    expect(mine.length).toBeGreaterThan(0);
    for (const f of mine) {
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(f.line).toBeGreaterThanOrEqual(2);
      expect(f.column).toBeGreaterThanOrEqual(1);
    }
  });

  it.each(rule.examples.good.map((e) => [exampleLabel(e), e] as const))(
    'does not report: %s',
    async (_, example) => {
      const result = await lintExample(example);
      expect(result.errors).toEqual([]);
      expect(result.findings.filter((f) => f.rule === name)).toEqual([]);
    },
  );

  it('is documented in docs/migrate.md: why, and the safe way', () => {
    const text = section(name);
    expect(text, `docs/migrate.md has no "#### \`${name}\`" section`).toBeDefined();
    expect(text).toContain('**Why.**');
    expect(text).toContain('**Instead.**');
  });

  it("the docs table row matches the rule's severity and counterparts", () => {
    const row = tableRows.get(name);
    expect(row).toEqual({
      severity: rule.defaultSeverity,
      squawk: [...rule.counterparts.squawk],
      strongMigrations: [...rule.counterparts.strongMigrations],
    });
  });
});
