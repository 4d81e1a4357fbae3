import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { listTestProbes } from '../../src/scaffold/list-test-probes.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const resource = (file: string, name: string) =>
  modelFromOpenApi(file, fixtures).model.resources.find((r) => r.name === name)!;

/**
 * The generated list tests sent tenon's own `sort=id`/`-id` and `limit=0`/`limit=101` whatever the
 * spec declares: karakeep's `sort` enum (name|usage) answered 400 to the cursor walk and the
 * descending test, and a spec's `limit` of minimum 0 and maximum 500 took both probes (and
 * limit=0 answered 500). The probes now come from the list's own query schema.
 */
describe('listTestProbes', () => {
  it('keeps tenon´s probes where the spec declares neither sort nor limit', () => {
    const probes = listTestProbes(modelFromOpenApi('answer-shapes.yaml', fixtures).model.resources[0]!);
    expect(probes.idSort).toEqual({ asc: 'id', desc: '-id' });
    expect(probes.refused).toEqual(['limit=0', 'limit=101', 'limit=-1', 'limit=abc', 'page=0', 'page=1.5']);
    expect(probes.below).toEqual({ limit: ['limit=-1', 'limit=0'], page: ['page=0'] });
  });

  it('walks by a declared value that sorts by id, and writes no descending test without one', () => {
    expect(listTestProbes(resource('declared-sort.yaml', 'Tag')).idSort).toEqual({
      asc: 'usage',
      desc: undefined,
    });
  });

  it('takes the spec´s page bounds and a sort enum without id', () => {
    const probes = listTestProbes(resource('declared-page-bounds.yaml', 'Note'));
    expect(probes.idSort).toEqual({ asc: undefined, desc: undefined });
    expect(probes.refused).toEqual(['limit=-1', 'limit=501', 'limit=abc', 'page=0', 'page=1.5']);
    expect(probes.below.limit).toEqual(['limit=-1']);
  });

  it('takes any sort where the spec´s sort is open text', () => {
    expect(listTestProbes(resource('open-sort.yaml', 'Note')).idSort).toEqual({ asc: 'id', desc: '-id' });
  });
});
