import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks, analyzeConfigSchema } from '../../src/analyze/index.js';

const doc = readFileSync(new URL('../../docs/analyze.md', import.meta.url), 'utf8');

describe('docs/analyze.md', () => {
  it.each(allChecks.map((c) => c.id))('describes check %s', (id) => {
    expect(doc).toContain(`| \`${id}\``);
  });

  it.each(Object.keys(analyzeConfigSchema.shape))('documents setting %s', (key) => {
    expect(doc).toContain(`\`${key}\``);
  });
});

describe('src/analyze/checks/', () => {
  it('holds one file per check, named after its id, and the registry (index.ts); nothing else', () => {
    const files = readdirSync(new URL('../../src/analyze/checks/', import.meta.url)).sort();
    expect(files).toEqual(['index.ts', ...allChecks.map((c) => `${c.id}.ts`)].sort());
  });
});
