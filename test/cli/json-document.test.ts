import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMAS, jsonDocument } from '../../src/cli/output/json-document.js';

describe('--json documents', () => {
  it('docs/cli.md lists every schema name, and no other', () => {
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## JSON output'), doc.indexOf('### Changes'));
    const listed = [...section.matchAll(/\| `(tenon\.[a-z.-]+\/v\d+)` +\|/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...JSON_SCHEMAS].sort());
  });

  it('follow tenon.<part>.<command>/v<N>', () => {
    for (const name of JSON_SCHEMAS) expect(name).toMatch(/^tenon\.[a-z]+(\.[a-z-]+)?\/v\d+$/);
  });

  it('put schema first, and refuse a value that carries another schema', () => {
    expect(Object.keys(jsonDocument('tenon.config/v1', { config: {}, configFile: null }))).toEqual([
      'schema',
      'config',
      'configFile',
    ]);
    expect(jsonDocument('tenon.load/v1', { schema: 'tenon.load/v1', x: 1 })).toEqual({
      schema: 'tenon.load/v1',
      x: 1,
    });
    expect(() => jsonDocument('tenon.demo/v1', { schema: 'tenon.load/v1' })).toThrow(/printed as/);
  });
});
