import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildRequest, type OracleRequest } from '../../scripts/conformance/build-request.js';
import { refusal } from '../../scripts/conformance/refusal.js';
import type { send } from '../../scripts/conformance/send.js';
import { loadSpec, type Spec } from '../../scripts/conformance/spec-reader.js';
import { keyCandidates, probeUnkeyed } from '../../scripts/conformance/unkeyed-probe.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-oracle-unkeyed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A collection whose create takes `body` and answers `answer`, and its item read and delete by `{key}`. */
function collectionSpec(file: string, collection: string, key: string, body: object, answer: object): Spec {
  const content = (schema: object) => ({ 'application/json': { schema } });
  const keyParam = { name: key, in: 'path', required: true, schema: { type: 'string' } };
  writeFileSync(
    join(work, file),
    stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        [collection]: {
          post: {
            requestBody: { content: content(body) },
            responses: { '201': { description: 'made', content: content(answer) } },
          },
        },
        [`${collection}/{${key}}`]: {
          parameters: [keyParam],
          get: { responses: { '200': { description: 'ok', content: content(answer) } } },
          delete: { responses: { '204': { description: 'gone' } } },
        },
      },
    }),
  );
  return loadSpec(join(work, file));
}

const rule = { type: 'object', properties: { name: { type: 'string' }, kind: { type: 'string' } } };

describe('the oracle finds keys a create gives', () => {
  it('through the alternatives of a oneOf and a list’s items (Typesense: one rule or a list of rules)', () => {
    const spec = collectionSpec(
      'rules.yaml',
      '/analytics/rules',
      'ruleName',
      { oneOf: [rule, { type: 'array', items: rule }] },
      { oneOf: [rule, { type: 'array', items: { oneOf: [rule, { type: 'object' }] } }] },
    );
    const read = spec.operations.find((o) => o.method === 'get')!;
    const created = new Map([['/analytics/rules', [{ name: 'popular', kind: 'counter' }]]]);
    expect(buildRequest(read, spec, created, 'T')).toMatchObject({
      path: '/analytics/rules/popular',
      idSources: { ruleName: 'created' },
    });
  });

  it('by the last words of the collection’s name ({modelId} of /nl_search_models is the id)', () => {
    const model = { type: 'object', properties: { id: { type: 'string' }, model_name: { type: 'string' } } };
    const spec = collectionSpec('models.yaml', '/nl_search_models', 'modelId', model, model);
    const read = spec.operations.find((o) => o.method === 'get')!;
    const created = new Map([['/nl_search_models', [{ id: 'm-1', model_name: 'gpt' }]]]);
    expect(buildRequest(read, spec, created, 'T')).toMatchObject({
      path: '/nl_search_models/m-1',
      idSources: { modelId: 'created' },
      pathValues: { modelId: 'm-1' },
    });
    // A key whose words are not the collection's stays unkeyed (never a guessed id).
    const other = collectionSpec('other.yaml', '/nl_search_models', 'slug', model, model);
    const otherRead = other.operations.find((o) => o.method === 'get')!;
    expect(buildRequest(otherRead, other, created, 'T').idSources).toEqual({ slug: 'unkeyed' });
  });
});

describe('a 404 for a key no create gives (unkeyed)', () => {
  const thing = { type: 'object', properties: { code: { type: 'string' }, size: { type: 'integer' } } };
  const spec = collectionSpec('things.yaml', '/things', 'slug', thing, thing);
  const remove = spec.operations.find((o) => o.method === 'delete')!;
  const created = new Map([['/things', [{ code: 'k-9', size: 3 }]]]);
  const request = buildRequest(remove, spec, created, 'T');
  /** A fake app: 200 for GET /things/k-9 alone, 404 for anything else; records what it was sent. */
  const app = (keyedBy: string | undefined) => {
    const sent: OracleRequest[] = [];
    const fake = (async (_base: string, r: OracleRequest) => {
      sent.push(r);
      return {
        status: r.method === 'GET' && r.path === `/things/${keyedBy}` ? 200 : 404,
        violations: [],
        body: undefined,
        contentType: '',
        fromApp: true,
      };
    }) as typeof send;
    return { fake, sent };
  };

  it('is the answer for a missing row when one of the created row’s values finds it (the server’s key)', async () => {
    expect(request.idSources).toEqual({ slug: 'unkeyed' });
    const { fake, sent } = app('k-9');
    const probed = await probeUnkeyed('http://x', remove, request, spec, created, 'T', fake);
    expect(probed).toBe('reachable');
    // Reads only: the DELETE is never sent again.
    expect(sent.every((r) => r.method === 'GET')).toBe(true);
    expect(refusal(404, request.idSources, probed)).toBeUndefined();
  });

  it('refuses a spec-valid request when no value of the created row finds it', async () => {
    const { fake, sent } = app(undefined);
    const probed = await probeUnkeyed('http://x', remove, request, spec, created, 'T', fake);
    expect(probed).toBe('unreachable');
    expect(sent.map((r) => r.path)).toEqual(['/things/k-9', '/things/3']);
    expect(refusal(404, request.idSources, probed)).toMatch(/^404 for a created row/);
    // Without a probe (nothing to read the path with) the sample's 404 stays unjudged, as before.
    expect(refusal(404, request.idSources)).toBeUndefined();
  });

  it('tries integer values only for an integer key, and nothing when there is nothing created', async () => {
    expect(keyCandidates({ data: { id: 4, name: 'x', n: 1.5 } }, { type: 'integer' }, spec)).toEqual([4]);
    expect(keyCandidates({ id: 4, name: 'x', tags: ['a'] }, { type: 'string' }, spec)).toEqual([4, 'x']);
    const { fake } = app(undefined);
    expect(await probeUnkeyed('http://x', remove, request, spec, new Map(), 'T', fake)).toBeUndefined();
  });
});
