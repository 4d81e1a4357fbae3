import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { valueSchema } from '../../src/scaffold/json-schemas.js';
import { columnType } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * JSON Schema's integer is unbounded; an integer without a format used to be int4 always, so
 * karakeep's `storageQuota` (example 5000000000) answered its own example with 400. The spec's
 * own values decide: beyond int4 it is bigint; int32 and int64 are what they say.
 */
describe('modelFromOpenApi: the storage of an integer', () => {
  const { model, warnings } = modelFromOpenApi('integer-storage.yaml', fixtures);
  const quota = model.resources.find((r) => r.name === 'Quota')!;
  const field = (name: string) => quota.fields.find((f) => f.name === name)!;
  const type = (name: string) => columnType(field(name), model.resources);

  it('is bigint when an example or a bound of the spec goes beyond int4, and the API takes it', () => {
    expect(type('storageQuota')).toBe('bigint');
    expect(type('maxBytes')).toBe('bigint');
    expect(valueSchema(field('storageQuota'))).toMatchObject({ maximum: Number.MAX_SAFE_INTEGER });
  });

  it('is int4 for small values and format int32, bigint for format int64', () => {
    expect(type('files')).toBe('integer');
    expect(type('small')).toBe('integer');
    expect(type('big')).toBe('bigint');
  });

  it('is reported for the integers without a format, never for a format the spec chose', () => {
    const notes = warnings.filter((w) => w.code === 'integer-storage').map((w) => w.message);
    expect(notes).toEqual([
      expect.stringMatching(/^Quota: storageQuota, maxBytes \(integer, no format\) stored as bigint/),
      expect.stringMatching(
        /^Quota: files \(integer, no format\) stored as int4: a value beyond ±2\^31 answers 400/,
      ),
    ]);
  });
});

/**
 * An id the spec types `number` (overseerr's `Issue.id`, example 1) was refused ("the id must be
 * an integer or a string"), and every operation of its resource became a handler answering 501.
 */
describe('modelFromOpenApi: an id of type number (number-id.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('number-id.yaml', fixtures);

  it('is the bigint identity, and the resource is CRUD', () => {
    expect(model.resources.map((r) => `${r.name} ${r.idKind}`)).toEqual(['Issue bigint']);
    expect(model.resources[0]!.operations).toMatchObject({
      list: true,
      create: true,
      read: true,
      delete: true,
    });
    expect(model.operations).toEqual([]);
  });

  it('is reported, with what a non-integer key answers', () => {
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'integer-storage',
        message: expect.stringMatching(/^Issue: id \(number\) stored as a bigint identity.*answers 400/),
      }),
    );
  });
});
