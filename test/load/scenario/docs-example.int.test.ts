import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../../src/load/index.js';
import { type FlowServer, startFlowServer } from '../../support/flow-server.js';

/**
 * The examples of docs/load.md#scenarios run as written against the flow
 * server (which has the routes they use); only the base URL and the import
 * of `tenon/load` are pointed at this checkout and the test server.
 */
const doc = readFileSync(new URL('../../../docs/load.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Scenarios'), doc.indexOf('\n## ', doc.indexOf('## Scenarios') + 5));
const block = (lang: string) => new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(section)![1]!;

describe.sequential('docs/load.md scenario examples', () => {
  let server: FlowServer;
  let dir: string;
  beforeAll(async () => {
    server = await startFlowServer();
    dir = mkdtempSync(join(tmpdir(), 'tenon-docs-scenario-'));
    writeFileSync(join(dir, 'users.csv'), 'email\nann@example.com\nbob@example.com\n');
  });
  afterAll(async () => {
    await server.close();
  });
  const local = (text: string) =>
    text
      .replaceAll('http://127.0.0.1:3000', server.url)
      .replace(
        "from 'tenon/load'",
        `from ${JSON.stringify(new URL('../../../src/load/index.ts', import.meta.url).pathname)}`,
      );

  it('the TypeScript example runs: every create flow succeeds and fetches its own item', async () => {
    writeFileSync(join(dir, 'shop.scenario.ts'), local(block('ts')));
    const r = await runScenario({
      scenario: await loadScenarioFile(join(dir, 'shop.scenario.ts')),
      iterations: 40,
    });
    const create = r.flows.find((f) => f.name === 'create')!;
    expect(create.ok).toBe(create.started);
    expect(create.ok).toBeGreaterThan(0);
    expect(server.counts.fetches.size).toBe(server.counts.items.size);
    expect([...server.counts.items.values()].map((i) => i.name.split('-')[0])).toContain('red');
    expect(r.status).toBe('pass');
  });

  it('the YAML example runs', async () => {
    writeFileSync(join(dir, 'shop.yaml'), local(block('yaml')));
    const r = await runScenario({
      scenario: await loadScenarioFile(join(dir, 'shop.yaml')),
      iterations: 10,
      vus: 2,
    });
    expect(r.flows[0]).toMatchObject({ started: 10, ok: 10 });
  });
});
