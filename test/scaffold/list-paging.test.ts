import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { listQuerySchema } from '../../src/scaffold/json-schemas.js';
import { listPaging } from '../../src/scaffold/list-paging.js';
import { listTestProbes } from '../../src/scaffold/list-test-probes.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const resource = (file: string, name: string) =>
  modelFromOpenApi(file, fixtures).model.resources.find((r) => r.name === name)!;
const pageSchema = (file: string, name: string) =>
  (listQuerySchema(resource(file, name)).properties as Record<string, unknown>).page;

/**
 * A spec's `page` of `minimum: 0` counts pages from 0: the repository skipped `(page - 1) * limit`
 * rows whatever the spec said, a negative OFFSET for page 0 (PostgreSQL refuses it: a 500), and a
 * request without `page` took tenon's default 1, the second page.
 */
describe('listPaging', () => {
  it('counts from 0 where the spec´s page takes 0, with 0 as the default it leaves out', () => {
    expect(listPaging(resource('zero-based-pages.yaml', 'Note'))).toEqual({
      first: 0,
      belowFirst: false,
      offset: false,
    });
    expect(pageSchema('zero-based-pages.yaml', 'Note')).toMatchObject({ minimum: 0, default: 0 });
    expect(listPaging(resource('zero-based-pages.yaml', 'Task')).first).toBe(0);
    expect(listTestProbes(resource('zero-based-pages.yaml', 'Note')).below.page).toEqual(['page=-1']);
  });

  it('starts at 1 where the spec´s default is 1, page 0 being the first page too', () => {
    expect(listPaging(resource('zero-based-pages.yaml', 'Event'))).toEqual({
      first: 1,
      belowFirst: true,
      offset: false,
    });
    expect(pageSchema('zero-based-pages.yaml', 'Event')).toMatchObject({ minimum: 0, default: 1 });
  });

  it('keeps tenon´s pages from 1 where the spec declares no page', () => {
    expect(listPaging(resource('declared-page-bounds.yaml', 'Note'))).toEqual({
      first: 1,
      belowFirst: false,
      offset: false,
    });
    expect(pageSchema('declared-page-bounds.yaml', 'Note')).toMatchObject({ minimum: 1, default: 1 });
  });

  /**
   * A page bounded by `exclusiveMinimum` alone: `page > -1` takes 0, the first page, but tenon's
   * `minimum: 1` stayed beside it (a 400 for the spec-valid `page=0`) and pages counted from 1.
   */
  it('reads exclusiveMinimum as the page´s lower bound: > -1 counts from 0, > 0 from 1', () => {
    expect(listPaging(resource('exclusive-page-bounds.yaml', 'Note'))).toEqual({
      first: 0,
      belowFirst: false,
      offset: false,
    });
    const zeroBased = pageSchema('exclusive-page-bounds.yaml', 'Note') as Record<string, unknown>;
    expect(zeroBased).toMatchObject({ exclusiveMinimum: -1, default: 0 });
    expect(zeroBased.minimum).toBeUndefined();
    expect(listTestProbes(resource('exclusive-page-bounds.yaml', 'Note')).below.page).toEqual(['page=-1']);
    expect(listPaging(resource('exclusive-page-bounds.yaml', 'Task'))).toEqual({
      first: 1,
      belowFirst: false,
      offset: false,
    });
    expect(pageSchema('exclusive-page-bounds.yaml', 'Task')).toMatchObject({
      exclusiveMinimum: 0,
      default: 1,
    });
    expect(listTestProbes(resource('exclusive-page-bounds.yaml', 'Task')).below.page).toEqual(['page=0']);
    // 3.0's `minimum: 0, exclusiveMinimum: true` is `page > 0`: from 1.
    expect(listPaging(resource('exclusive-page-bounds-30.yaml', 'Note')).first).toBe(1);
    expect(listTestProbes(resource('exclusive-page-bounds-30.yaml', 'Note')).below.page).toEqual(['page=0']);
  });
});
