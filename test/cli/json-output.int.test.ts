import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMAS } from '../../src/cli/output/json-document.js';
import { runTenon } from '../support/cli.js';
import { startFlowServer } from '../support/flow-server.js';
import { startDelayServer } from '../support/load-servers.js';

/**
 * Every `--json` document: its `schema` and camelCase keys (docs/cli.md#json-output).
 * Maps keyed by data keep the data's spelling.
 */
const work = mkdtempSync(join(tmpdir(), 'tenon-json-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Paths whose keys are data, not names tenon chose. */
const DATA_KEYS = [
  /\.statusCodes$/,
  /\.statusClasses$/,
  /\.evidence$/,
  /^\.plan(\.|$)/,
  /\.byCategory$/,
  /\.failedAt$/,
  /\.waitEvents$/,
];

function badKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => badKeys(v, `${path}[]`));
  if (!value || typeof value !== 'object') return [];
  const dataMap = DATA_KEYS.some((re) => re.test(path));
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(dataMap || /^[a-z][a-zA-Z0-9]*$/.test(key) ? [] : [`${path}.${key}`]),
    ...(dataMap && path.startsWith('.plan') ? [] : badKeys(inner, `${path}.${key}`)),
  ]);
}

const seen = new Set<string>();
async function json(args: string[], expected: string, code = 0): Promise<Record<string, unknown>> {
  const run = await runTenon([...args, '--json'], {
    cwd: work,
    env: { DATABASE_URL: `pglite://${work}/db` },
  });
  expect(run.code, run.stderr).toBe(code);
  const doc = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(Object.keys(doc)[0]).toBe('schema');
  expect(doc.schema).toBe(expected);
  expect(badKeys(doc)).toEqual([]);
  seen.add(expected);
  return doc;
}

describe('--json documents: schema and camelCase keys', () => {
  it('config, migrate, db, new, generate and errors', async () => {
    await json(['config'], 'tenon.config/v1');
    await json(['config', '--config', 'missing.yaml'], 'tenon.error/v1', 2);
    const created = await json(['migrate', 'create', 'users'], 'tenon.migrate.create/v1');
    writeFileSync(
      created.path as string,
      '-- migrate:up\ncreate table users (id int);\n\n-- migrate:down\ndrop table users;\n',
    );
    await json(['migrate', 'up', '--dry-run'], 'tenon.migrate.up/v1');
    await json(['migrate', 'up'], 'tenon.migrate.up/v1');
    await json(['migrate', 'status'], 'tenon.migrate.status/v1');
    await json(['migrate', 'lint', '--all'], 'tenon.migrate.lint/v1');
    await json(['migrate', 'trace'], 'tenon.migrate.trace/v1');
    await json(['migrate', 'verify'], 'tenon.migrate.verify/v1');
    await json(['migrate', 'down'], 'tenon.migrate.down/v1');
    await json(['migrate', 'baseline', created.version as string], 'tenon.migrate.baseline/v1');
    await json(['migrate', 'repair'], 'tenon.migrate.repair/v1');
    await json(['db', 'explain', 'select 1'], 'tenon.analyze.explain/v1');
    await json(['db', 'snapshot', 'snap.json'], 'tenon.analyze.snapshot/v1');
    await json(['db', 'analyze', '--since', 'snap.json'], 'tenon.analyze.analyze/v1');
    await json(['db', 'suggest-indexes'], 'tenon.analyze.suggest-indexes/v1');
    await json(['new', 'blog', '--no-install', '--resources', 'Post(title:string)'], 'tenon.scaffold.new/v1');
    await json(['generate', '--dir', 'blog', '--dry-run'], 'tenon.scaffold.generate/v1');
  }, 300_000);

  it('load', async () => {
    const server = await startDelayServer(0);
    try {
      await json(['load', server.url, '-n', '50', '-c', '2', '--workers', '1'], 'tenon.load/v1');
    } finally {
      await server.close();
    }
  });

  it('load --scenario', async () => {
    const server = await startFlowServer();
    try {
      writeFileSync(
        join(work, 'scenario.yaml'),
        `baseUrl: ${server.url}\nflows:\n  - name: health-check\n    steps: [{ name: get-health, url: /health }]\n`,
      );
      await json(['load', '--scenario', 'scenario.yaml', '-n', '5', '--vus', '1'], 'tenon.load.scenario/v1');
    } finally {
      await server.close();
    }
  });

  it('load --find-capacity', async () => {
    const server = await startDelayServer(0);
    try {
      // A generator starved on a busy machine (own delay up to ~100 ms per request, seen at load average
      // ~16) would make the search stop as saturated (exit 4): this test is about the document.
      await json(
        ['load', server.url, '--find-capacity', '--slo', 'p50<1s', '--max-rate', '20', '--rate', '20'].concat(
          ['-d', '200ms', '--warmup', '0', '--workers', '1', '--max-lateness', '1s'],
        ),
        'tenon.load.capacity/v1',
      );
    } finally {
      await server.close();
    }
  });

  it('load --emit-k8s, a shard run and load merge', async () => {
    const server = await startDelayServer(0);
    try {
      // A busy machine's lateness would make the merge exit 4 (saturated): this test is about the documents.
      const base = [server.url, '--rate', '10', '-d', '1s', '--workers', '1', '--max-lateness', '1s'];
      await json(['load', ...base, '--emit-k8s', 'k8s', '--parallelism', '2'], 'tenon.load.emit/v1');
      // One shard of one, written to a file (its stdout is a line for the human), then merged.
      const shard = await runTenon(
        ['load', ...base, '--shard-count', '1', '--shard-index', '0', '--result-json', 'shard-0.json'],
        { cwd: work },
      );
      expect(shard.code, shard.stderr).toBe(0);
      await json(['load', 'merge', 'shard-0.json'], 'tenon.load.merge/v1');
    } finally {
      await server.close();
    }
  });

  it('every schema but the demo’s is covered here (tenon.demo/v1: test/demo/demo.e2e.test.ts)', () => {
    expect([...seen, 'tenon.demo/v1'].sort()).toEqual([...JSON_SCHEMAS].sort());
  });
});
