import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildRequest } from '../../scripts/conformance/build-request.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-oracle-refs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const created = { '201': { description: 'created' } };
const body = (ref: string) => ({ content: { 'application/json': { schema: { $ref: ref } } } });

/** Shop's shape: a self-reference (`parentId`), an irregular plural (`categoryId` → `/categories`), allOf, 3.1 and 3.0 null. */
const SPEC = {
  openapi: '3.1.0',
  info: { title: 'refs', version: '1' },
  components: {
    schemas: {
      Category: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          parentId: { type: ['integer', 'null'] },
        },
      },
      Product: {
        allOf: [
          { type: 'object', properties: { createdAt: { type: 'string', readOnly: true } } },
          {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string' },
              categoryId: { type: ['integer', 'null'] },
              boxId: { type: 'integer' },
              ownerId: { oneOf: [{ type: 'integer' }, { type: 'null' }] },
            },
          },
        ],
      },
    },
  },
  paths: {
    '/categories': { post: { requestBody: body('#/components/schemas/Category'), responses: created } },
    '/boxes': { post: { responses: created } },
    '/products': { post: { requestBody: body('#/components/schemas/Product'), responses: created } },
  },
};

describe('references in the bodies the oracle builds', () => {
  const file = join(work, 'refs.yaml');
  writeFileSync(file, stringify(SPEC));
  const spec = loadSpec(file);
  const op = (path: string) => spec.operations.find((o) => o.path === path)!;
  const full = (path: string, made: Map<string, unknown[]>) =>
    JSON.parse(buildRequest(op(path), spec, made, 'T', { fullBody: true }).body!);

  it('name the last row created under the collection of their stem, plural forms included', () => {
    const made = new Map<string, unknown[]>([
      ['/categories', [{ id: 4 }, { id: 5 }]],
      ['/boxes', [{ id: 9 }]],
    ]);
    const product = full('/products', made);
    expect(product.categoryId).toBe(5);
    expect(product.boxId).toBe(9);
  });

  it('that nothing created can fill are null where the schema allows it, as a client with nothing to refer to sends', () => {
    // The first category: no parent exists yet.
    expect(full('/categories', new Map()).parentId).toBeNull();
    const product = full('/products', new Map());
    expect(product.categoryId).toBeNull();
    // A oneOf with a null alternative allows null too; a non-nullable reference keeps its sample.
    expect(product.ownerId).toBeNull();
    expect(typeof product.boxId).toBe('number');
  });

  it('read 3.0’s nullable', () => {
    const file30 = join(work, 'refs30.yaml');
    writeFileSync(
      file30,
      stringify({
        openapi: '3.0.3',
        info: { title: 'refs', version: '1' },
        paths: {
          '/notes': {
            post: {
              requestBody: {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: { text: { type: 'string' }, authorId: { type: 'integer', nullable: true } },
                    },
                  },
                },
              },
              responses: created,
            },
          },
        },
      }),
    );
    const spec30 = loadSpec(file30);
    const note = JSON.parse(
      buildRequest(spec30.operations[0]!, spec30, new Map(), 'T', { fullBody: true }).body!,
    );
    expect(note).toEqual({ text: expect.any(String), authorId: null });
  });
});
