import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRequest, type OracleRequest } from '../../scripts/conformance/build-request.js';
import { refusal } from '../../scripts/conformance/refusal.js';
import type { send } from '../../scripts/conformance/send.js';
import { keyCandidates, probeUnkeyed } from '../../scripts/conformance/unkeyed-probe.js';
import { collectionSpec } from '../support/collection-spec.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-oracle-unkeyed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const rule = { type: 'object', properties: { name: { type: 'string' }, kind: { type: 'string' } } };

describe('the oracle finds keys a create gives', () => {
  it('through the alternatives of a oneOf and a list’s items (Typesense: one rule or a list of rules)', () => {
    const spec = collectionSpec(work, 'rules.yaml', {
      collection: '/analytics/rules',
      key: 'ruleName',
      body: { oneOf: [rule, { type: 'array', items: rule }] },
      answer: { oneOf: [rule, { type: 'array', items: { oneOf: [rule, { type: 'object' }] } }] },
    });
    const read = spec.operations.find((o) => o.method === 'get')!;
    const created = new Map([['/analytics/rules', [{ name: 'popular', kind: 'counter' }]]]);
    expect(buildRequest(read, spec, created, 'T')).toMatchObject({
      path: '/analytics/rules/popular',
      idSources: { ruleName: 'created' },
    });
  });

  it('by the last words of the collection’s name ({modelId} of /nl_search_models is the id)', () => {
    const model = { type: 'object', properties: { id: { type: 'string' }, model_name: { type: 'string' } } };
    const spec = collectionSpec(work, 'models.yaml', {
      collection: '/nl_search_models',
      key: 'modelId',
      body: model,
    });
    const read = spec.operations.find((o) => o.method === 'get')!;
    const created = new Map([['/nl_search_models', [{ id: 'm-1', model_name: 'gpt' }]]]);
    expect(buildRequest(read, spec, created, 'T')).toMatchObject({
      path: '/nl_search_models/m-1',
      idSources: { modelId: 'created' },
      pathValues: { modelId: 'm-1' },
    });
    // A key whose words are not the collection's stays unkeyed (never a guessed id).
    const other = collectionSpec(work, 'other.yaml', {
      collection: '/nl_search_models',
      key: 'slug',
      body: model,
    });
    const otherRead = other.operations.find((o) => o.method === 'get')!;
    expect(buildRequest(otherRead, other, created, 'T').idSources).toEqual({ slug: 'unkeyed' });
  });
});

describe('a 404 for a key no create gives (unkeyed)', () => {
  const thing = { type: 'object', properties: { code: { type: 'string' }, size: { type: 'integer' } } };
  const spec = collectionSpec(work, 'things.yaml', { collection: '/things', key: 'slug', body: thing });
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
        requestId: `fake-${sent.length}`,
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
