import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildRequest } from '../../scripts/conformance/build-request.js';
import { createdValue } from '../../scripts/conformance/created-objects.js';
import type { Spec } from '../../scripts/conformance/spec-reader.js';
import { collectionSpec } from '../support/collection-spec.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-oracle-created-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A spec of one collection, `/things`, whose create answers `properties`, and its item read by `{thingName}`. */
const thingsSpec = (file: string, properties: Record<string, unknown>) =>
  collectionSpec(work, file, {
    collection: '/things',
    key: 'thingName',
    body: { type: 'object', properties },
  });

const readOf = (spec: Spec) => spec.operations.find((o) => o.method === 'get')!;

describe('the create of a collection, as path keys read it', () => {
  it('is looked up once per spec and collection, however many requests and created objects ask', () => {
    const spec = thingsSpec('once.yaml', { name: { type: 'string' } });
    // Objects without the key: each one is tried, newest first, before the key is called unkeyed.
    const created = new Map([['/things', [{ id: 1 }, { id: 2 }, { id: 3 }]]]);
    const find = vi.spyOn(spec.operations, 'find');
    const read = readOf(spec);
    find.mockClear();
    for (let i = 0; i < 5; i++)
      expect(buildRequest(read, spec, created, 'T').idSources).toEqual({ thingName: 'unkeyed' });
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('is kept per spec: two specs with the same collection path each key by their own create', () => {
    const byName = thingsSpec('by-name.yaml', { name: { type: 'string' } });
    const byId = thingsSpec('by-id.yaml', { id: { type: 'integer' } });
    const created = new Map([['/things', [{ id: 7, name: 'lamp' }]]]);
    expect(buildRequest(readOf(byName), byName, created, 'T')).toMatchObject({
      path: '/things/lamp',
      idSources: { thingName: 'created' },
    });
    // The second spec's create declares no `name`: the key is not taken from the first spec's answer.
    expect(buildRequest(readOf(byId), byId, created, 'T').idSources).toEqual({ thingName: 'unkeyed' });
  });
});

describe('createdValue: where a create answer holds the key', () => {
  it('reads the object itself, an envelope’s data, and the object under a one-key wrapper', () => {
    expect(createdValue({ slug: 'a' }, 'slug', false)).toBe('a');
    expect(createdValue({ data: { slug: 'b' } }, 'slug', false)).toBe('b');
    expect(createdValue({ article: { slug: 'c' } }, 'slug', false)).toBe('c');
    // Two keys are no wrapper: nothing is guessed from either.
    expect(createdValue({ article: { slug: 'c' }, meta: {} }, 'slug', false)).toBeUndefined();
  });
});
