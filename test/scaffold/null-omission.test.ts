import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResourceModel } from '../../src/scaffold/api-model.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { modelFromResourceDsl } from '../../src/scaffold/from-resource-dsl.js';
import { generateProject } from '../../src/scaffold/generate.js';
import { omittedWhenNull, omittedWhenNullEmbedded } from '../../src/scaffold/null-omission.js';
import { servedDocument } from '../../src/scaffold/openapi-document.js';
// The generated projects' own helper (a template file that imports nothing generated).
import { withoutNulls } from '../../templates/common/src/http/envelope.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-null-omission-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const byName = (resources: readonly ResourceModel[], name: string) => resources.find((r) => r.name === name)!;
const shopProduct = ['sku', 'releasedOn', 'homepage', 'tags'];

describe('optional properties the answers do not allow to be null', () => {
  it.each([
    ['spec serving', false],
    ['--conventions', true],
  ])('are listed per resource (%s; shop: 3.1 type arrays, allOf, $refs across files)', (_, conventions) => {
    const { model } = modelFromOpenApi('shop/openapi.yaml', fixtures, { conventions });
    expect(omittedWhenNull(byName(model.resources, 'Product'))).toEqual(shopProduct);
    // Nullable (`[string, null]`), required, or with a non-null default: never left out.
    expect(omittedWhenNull(byName(model.resources, 'Category'))).toEqual([]);
    expect(omittedWhenNull(byName(model.resources, 'Review'))).toEqual([]);
    // Reviews embed their product (?include=product): the embedded row keeps to Product's schema.
    expect(omittedWhenNullEmbedded(byName(model.resources, 'Review'), model.resources)).toEqual({
      product: shopProduct,
    });
    // Products embed a category, which has nothing to leave out.
    expect(omittedWhenNullEmbedded(byName(model.resources, 'Product'), model.resources)).toEqual({});
  });

  it('include a 3.0 property without `nullable: true` (petstore’s Pet.weightKg), not one with it', () => {
    const { model } = modelFromOpenApi('petstore-3.0.json', fixtures, { conventions: true });
    const pet = byName(model.resources, 'Pet');
    expect(omittedWhenNull(pet)).toContain('weightKg');
    for (const name of omittedWhenNull(pet)) {
      const field = pet.fields.find((f) => f.name === name)!;
      expect(field.required).toBe(false);
      expect(field.nullable && !field.answeredNonNullable).toBe(false);
    }
  });

  it('are none in a resource-DSL project: an optional field is nullable in the document tenon writes', () => {
    const { model } = modelFromResourceDsl(readFileSync(join(fixtures, 'blog.resources'), 'utf8').trim());
    for (const r of model.resources) {
      expect(omittedWhenNull(r)).toEqual([]);
      expect(omittedWhenNullEmbedded(r, model.resources)).toEqual({});
    }
  });
});

describe('withoutNulls (the generated projects’ answer helper)', () => {
  const optional = ['sku', 'tags'];

  it('leaves out the listed properties that are null, and nothing else', () => {
    const row = { id: 1, sku: null, tags: ['a'], categoryId: null, name: 'x' };
    const out = withoutNulls(row, optional);
    expect(out).toEqual({ id: 1, tags: ['a'], categoryId: null, name: 'x' });
    expect(Object.keys(out)).toEqual(['id', 'tags', 'categoryId', 'name']);
    // The row itself is not changed (the data layer may hand the same row to a cache or a hook).
    expect(row.sku).toBeNull();
  });

  it('answers the row itself when there is nothing to leave out', () => {
    const row = { id: 1, sku: 'AB-123', tags: null as null | string[], other: null };
    expect(withoutNulls({ ...row, tags: [] }, optional)).toEqual({ ...row, tags: [] });
    const complete = { id: 2, sku: 'AB-1', tags: [] };
    expect(withoutNulls(complete, optional)).toBe(complete);
    expect(withoutNulls(complete, optional, { product: ['sku'] })).toBe(complete);
  });

  it('leaves out the embedded rows’ own listed nulls; an embedded relation that is null stays null', () => {
    const embedded = { product: ['sku', 'homepage'] };
    const review = {
      id: 1,
      rating: 5,
      product: { id: 3, sku: null, homepage: null, name: 'Saw', price: null },
    };
    expect(withoutNulls(review, [], embedded)).toEqual({
      id: 1,
      rating: 5,
      product: { id: 3, name: 'Saw', price: null },
    });
    expect(review.product.sku).toBeNull();
    expect(withoutNulls({ id: 2, product: null }, [], embedded)).toEqual({ id: 2, product: null });
  });
});

describe('generated routes', () => {
  it.each(['fastify', 'express'] as const)(
    '%s: every answer of a resource with such properties goes through withoutNulls, embeds included',
    async (framework) => {
      const dir = join(work, `shop-${framework}`);
      await generateProject({
        mode: 'new',
        dir,
        from: join(fixtures, 'shop/openapi.yaml'),
        conventions: true,
        framework,
        cwd: work,
      });
      const read = (name: string) => readFileSync(join(dir, 'src/generated/resources', name), 'utf8');
      const product = read('product.routes.ts');
      expect(product).toContain(`const optional: readonly string[] = ${JSON.stringify(shopProduct)};`);
      expect(product).toContain('return withoutNulls(row, optional);');
      // List, create, read, replace and patch: each answer is mapped (bare rows never reach the serializer).
      expect(product).toContain('data: page.items.map(answer)');
      for (const v of ['created', 'found', 'updated']) expect(product).toContain(`data: answer(${v})`);
      expect(product).not.toMatch(/data: (created|found|updated) \}/);
      const review = read('review.routes.ts');
      expect(review).toContain(
        `const embedded: Record<string, readonly string[]> = ${JSON.stringify({ product: shopProduct })};`,
      );
      expect(review).toContain('return withoutNulls(row, optional, embedded);');
      // Nothing to leave out: no mapping at all.
      expect(read('category.routes.ts')).not.toContain('withoutNulls');
    },
  );
});

describe('the document served with --conventions', () => {
  it('declares 409 on replace and patch (a unique value another row holds), not on read', () => {
    const result = modelFromOpenApi('shop/openapi.yaml', fixtures, { conventions: true });
    const doc = servedDocument(result.document, result.model, result.prefixAdded) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const item = doc.paths['/products/{id}']!;
    expect(Object.keys(item.put!.responses)).toEqual(['200', '400', '404', '409']);
    expect(Object.keys(item.patch!.responses)).toEqual(['200', '400', '404', '409']);
    expect(Object.keys(item.get!.responses)).toEqual(['200', '400', '404']);
  });
});
