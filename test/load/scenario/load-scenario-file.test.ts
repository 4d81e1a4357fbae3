import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TenonError } from '../../../src/core/errors.js';
import { loadScenarioFile, parseScenario } from '../../../src/load/scenario/load-scenario-file.js';

function caught(fn: () => unknown): TenonError {
  try {
    fn();
  } catch (error) {
    return error as TenonError;
  }
  throw new Error('did not throw');
}

const flow = { name: 'browse', steps: [{ name: 'list', url: '/products' }] };

describe('parseScenario', () => {
  it('applies defaults', () => {
    const s = parseScenario({ flows: [flow], data: { users: { rows: [{ a: 1 }] } } });
    expect(s.flows[0]!.weight).toBe(1);
    expect(s.flows[0]!.steps[0]!.method).toBe('GET');
    expect(s.data!.users).toMatchObject({ order: 'sequential', scope: 'shared' });
  });

  it('names the file and the path of a bad key, with a hint', () => {
    const e = caught(() =>
      parseScenario(
        { flows: [{ ...flow, steps: [{ name: 'list', url: '/p', thinkk: '1s' }] }] },
        'shop.yaml',
      ),
    );
    expect(e.code).toBe('TENON_LOAD_SCENARIO_INVALID');
    expect(e.message).toContain('shop.yaml: flows[0].steps[0].thinkk');
    expect(e.hint).toContain('"thinkk"');
    expect(e.details).toMatchObject({ file: 'shop.yaml', path: 'flows[0].steps[0].thinkk' });
  });

  it.each([
    [{ flows: [] }, 'flows'],
    [{ flows: [{ ...flow, steps: [{ name: 'x', url: '/a', think: 'soon' }] }] }, 'flows[0].steps[0].think'],
    [
      { flows: [{ ...flow, steps: [{ name: 'x', url: '/a', extract: { id: { json: 'id' } } }] }] },
      'flows[0].steps[0].extract.id.json',
    ],
    [{ flows: [flow, flow] }, 'flows[1].name'],
    [{ flows: [{ ...flow, name: 'setup' }] }, 'flows[0].name'],
    [{ flows: [flow], data: { users: { file: 'u.csv', rows: [{}] } } }, 'data.users'],
    [{ flows: [{ name: 'has space', steps: flow.steps }] }, 'flows[0].name'],
    [
      { flows: [{ ...flow, steps: [{ name: 'x', url: '/a', body: 'b', json: {} }] }] },
      'flows[0].steps[0].json',
    ],
  ])('rejects %j at %s', (value, path) => {
    const e = caught(() => parseScenario(value));
    expect(e.code).toBe('TENON_LOAD_SCENARIO_INVALID');
    expect(e.details.path).toBe(path);
  });
});

describe('loadScenarioFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-scenario-'));

  it('reads YAML and its CSV data relative to the file', async () => {
    writeFileSync(join(dir, 'users.csv'), 'email,password\na@x.io,1\nb@x.io,2\n');
    writeFileSync(
      join(dir, 's.yaml'),
      'data:\n  users: { file: users.csv, scope: vu }\nflows:\n  - name: browse\n    steps:\n      - { name: list, url: "http://127.0.0.1:1/x?u={{users.email}}" }\n',
    );
    const loaded = await loadScenarioFile(join(dir, 's.yaml'));
    expect(loaded.feeders[0]!.rows).toEqual([
      { email: 'a@x.io', password: '1' },
      { email: 'b@x.io', password: '2' },
    ]);
    expect(loaded.feeders[0]!.scope).toBe('vu');
  });

  it('reports a missing data file, a missing scenario file and an unknown type', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'data:\n  users: { file: nope.csv }\nflows: [{ name: a, steps: [{ name: b, url: /c }] }]\n',
    );
    await expect(loadScenarioFile(join(dir, 'bad.yaml'))).rejects.toMatchObject({
      code: 'TENON_LOAD_FEEDER_INVALID',
      details: { path: 'data.users.file' },
    });
    await expect(loadScenarioFile(join(dir, 'none.yaml'))).rejects.toMatchObject({
      code: 'TENON_LOAD_SCENARIO_UNREADABLE',
    });
    writeFileSync(join(dir, 's.txt'), '');
    await expect(loadScenarioFile(join(dir, 's.txt'))).rejects.toMatchObject({
      code: 'TENON_LOAD_SCENARIO_UNREADABLE',
    });
  });

  it('reports YAML syntax errors and empty data', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'flows: [\n');
    await expect(loadScenarioFile(join(dir, 'broken.yaml'))).rejects.toMatchObject({
      code: 'TENON_LOAD_SCENARIO_UNREADABLE',
    });
    writeFileSync(join(dir, 'empty.json'), '[]');
    writeFileSync(
      join(dir, 'e.yaml'),
      'data:\n  d: { file: empty.json }\nflows: [{ name: a, steps: [{ name: b, url: /c }] }]\n',
    );
    await expect(loadScenarioFile(join(dir, 'e.yaml'))).rejects.toThrow('no rows');
  });

  it('imports a TypeScript module typed with defineScenario', async () => {
    const lib = new URL('../../../src/load/index.ts', import.meta.url).pathname;
    writeFileSync(
      join(dir, 's.ts'),
      `import { defineScenario } from ${JSON.stringify(lib)};\nconst base: string = 'http://127.0.0.1:1';\nexport default defineScenario({ baseUrl: base, flows: [{ name: 'a', steps: [{ name: 'b', url: (v) => '/x/' + String(v.$vu) }] }] });\n`,
    );
    const loaded = await loadScenarioFile(join(dir, 's.ts'));
    expect(loaded.scenario.baseUrl).toBe('http://127.0.0.1:1');
    expect(typeof loaded.scenario.flows[0]!.steps[0]!.url).toBe('function');
  });
});
