import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { listQuerySchema } from '../../src/scaffold/json-schemas.js';
import { resourceView } from '../../src/scaffold/project-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const repositoryTemplate = fileURLToPath(
  new URL('../../templates/common/src/generated/resources/__resource__.repository.ts.eta', import.meta.url),
);

/**
 * karakeep's GET /tags declares its own `sort` (enum name|usage, default usage). The spec's enum
 * replaced tenon's in validation, but the repository only knew columns: every list answered 400
 * "Unknown sort field." Each declared value now sorts: by the column it names, else by id.
 */
describe('modelFromOpenApi: a list declaring its own sort parameter', () => {
  const { model, warnings } = modelFromOpenApi('declared-sort.yaml', fixtures);
  const tag = model.resources.find((r) => r.name === 'Tag')!;

  it('validates the spec enum and sorts by each of its values', () => {
    const sort = (listQuerySchema(tag).properties as Record<string, Record<string, unknown>>).sort!;
    expect(sort.enum).toEqual(['name', 'usage']);
    expect(sort.default).toBe('usage');
    const columns = resourceView(tag, model.resources).sortColumns as Record<string, string>;
    expect(columns.name).toBe('name');
    expect(columns.usage).toBe('id');
  });

  it('reports the value that names no column', () => {
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^GET \/tags: the spec's sort value usage names no column of Tag: accepted and sorted by id/,
      ),
    );
  });

  it('lets a cursor follow any sort that orders by id', () => {
    const template = readFileSync(repositoryTemplate, 'utf8');
    expect(template).toContain("if (column !== 'id') {");
    expect(template).not.toContain("if (key !== 'id') {");
  });
});

/** A declared `cursor` or `include` is validated with the spec's schema alone, not tenon's pattern. */
describe('modelFromOpenApi: a list declaring its own cursor and include', () => {
  const { model } = modelFromOpenApi('declared-cursor.yaml', fixtures);
  const tag = model.resources.find((r) => r.name === 'Tag')!;
  const properties = listQuerySchema(tag).properties as Record<string, Record<string, unknown>>;

  it('takes the spec schemas whole', () => {
    expect(properties.cursor).toEqual({ type: 'string' });
    expect(properties.include).toEqual({ type: 'string', enum: ['counts'] });
  });
});

/**
 * A declared `sort` of no enum (`{ type: string, maxLength: 40 }`) kept tenon's enum of sort keys:
 * `sort=usage`, valid per the spec, was a 400. It now takes what its schema takes, and a value
 * that names no column sorts by id.
 */
describe('modelFromOpenApi: a list declaring a sort of any text', () => {
  const { model, warnings } = modelFromOpenApi('open-sort.yaml', fixtures);
  const note = model.resources.find((r) => r.name === 'Note')!;

  it('validates sort with the spec´s schema alone, and the repository sorts an unknown value by id', () => {
    const sort = (listQuerySchema(note).properties as Record<string, Record<string, unknown>>).sort!;
    expect(sort).toEqual({ type: 'string', maxLength: 40 });
    expect(resourceView(note, model.resources).openSort).toBe(true);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^GET \/notes: the spec's sort takes any value: one that names no sortable property/,
      ),
    );
  });

  it('keeps tenon´s enum where the spec declares no sort, and the spec´s where it declares one', () => {
    const tags = modelFromOpenApi('declared-sort.yaml', fixtures).model.resources.find(
      (r) => r.name === 'Tag',
    )!;
    expect(resourceView(tags, []).openSort).toBe(false);
    const plain = modelFromOpenApi('answer-shapes.yaml', fixtures).model.resources[0]!;
    expect(resourceView(plain, []).openSort).toBe(false);
    expect(
      (listQuerySchema(plain).properties as Record<string, Record<string, unknown>>).sort!.enum,
    ).toContain('-id');
  });
});
