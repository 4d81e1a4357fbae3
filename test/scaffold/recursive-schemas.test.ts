import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { createSchema, itemSchema } from '../../src/scaffold/json-schemas.js';
import { isObject, type JsonObject, SpecFiles } from '../../src/scaffold/openapi-loader.js';
import { RECURSION_DEPTH, toStandaloneSchema } from '../../src/scaffold/openapi-schema.js';
import { sampleFromSchema } from '../../src/scaffold/test-samples.js';
import { resourceTypes } from '../../src/scaffold/ts-types.js';

/**
 * A schema that refers to itself — across files (`Category.yaml`'s
 * `parent: { $ref: ./Category.yaml }`, `children: [./Category.yaml]`, the
 * fixture `recursive/`) or inside one document — is served, not refused: its
 * validation schema is unrolled RECURSION_DEPTH levels deep, and the bundled
 * `/openapi.json` keeps the recursion under components/schemas.
 */
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-recursive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How deep `parent` nests in a standalone schema before it is free-form. */
function parentDepth(schema: JsonObject): number {
  let depth = 0;
  let node: unknown = schema;
  while (isObject(node) && isObject(node.properties) && isObject(node.properties.parent)) {
    depth++;
    node = node.properties.parent;
  }
  return depth;
}

describe('a schema that refers to itself across files', () => {
  const { model, document } = modelFromOpenApi('recursive/openapi.yaml', fixtures);
  const category = model.resources.find((r) => r.name === 'Category')!;

  it('is a resource whose recursive properties are JSON values validated as the spec writes them', () => {
    expect(category).toBeDefined();
    const parent = category.fields.find((f) => f.name === 'parent')!;
    const children = category.fields.find((f) => f.name === 'children')!;
    expect([parent.kind, children.kind]).toEqual(['json', 'json']);
    // parent → Category (depth 1), its parent (2), …, RECURSION_DEPTH levels of Category, then free-form.
    expect(parentDepth(parent.jsonSchema as JsonObject)).toBe(RECURSION_DEPTH);
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(createSchema(category));
    expect(validate({ name: 'tea', parent: { name: 'drinks', parent: { name: 'menu' } } })).toBe(true);
    expect(validate({ name: 'tea', children: [{ name: 'green', children: [{ name: 'sencha' }] }] })).toBe(
      true,
    );
    // A nested category without its required name, two levels down, is refused.
    expect(validate({ name: 'tea', parent: { name: 'drinks', parent: { title: 'x' } } })).toBe(false);
    expect(validate({ name: 'tea', children: [{ name: 'green', children: [{ name: 5 }] }] })).toBe(false);
    // The answer's serialization schema compiles too (fast-json-stringify reads the same schema).
    expect(() => ajv.compile(itemSchema(category, model.resources))).not.toThrow();
  });

  it('has TypeScript types and samples of finite size', () => {
    const types = resourceTypes(category, model.resources);
    expect(types).toMatch(/parent\?: \{/);
    expect(types).toMatch(/children\?: Array<\{/);
    const sample = sampleFromSchema(createSchema(category)) as JsonObject;
    expect(typeof sample.name).toBe('string');
  });

  it('is bundled into /openapi.json with its recursion under components/schemas', () => {
    const schemas = (document.components as JsonObject).schemas as JsonObject;
    const hoisted = schemas.Category as JsonObject;
    const props = hoisted.properties as JsonObject;
    expect(props.parent).toEqual({ $ref: '#/components/schemas/Category' });
    expect(props.children).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Category' } });
    // The operations keep the schema inlined once, its recursion referring to the hoisted copy.
    const get = ((document.paths as JsonObject)['/categories/{id}'] as JsonObject).get as JsonObject;
    const answer = (
      (((get.responses as JsonObject)['200'] as JsonObject).content as JsonObject)[
        'application/json'
      ] as JsonObject
    ).schema as JsonObject;
    expect((answer.properties as JsonObject).parent).toEqual({ $ref: '#/components/schemas/Category' });
  });
});

describe('recursion across files', () => {
  it('is served as recursion inside one document is: unrolled alike', () => {
    const dir = join(work, 'same-file');
    mkdirSync(dir, { recursive: true });
    // The fixture's spec with Category moved into the root's components.
    const spec = readFileSync(join(fixtures, 'recursive/openapi.yaml'), 'utf8').replaceAll(
      './components/schemas/Category.yaml',
      '#/components/schemas/Category',
    );
    const category = readFileSync(join(fixtures, 'recursive/components/schemas/Category.yaml'), 'utf8')
      .replaceAll('./Category.yaml', '#/components/schemas/Category')
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n');
    writeFileSync(join(dir, 'openapi.yaml'), `${spec}components:\n  schemas:\n    Category:\n${category}\n`);
    const same = modelFromOpenApi('openapi.yaml', dir).model.resources[0]!;
    const cross = modelFromOpenApi('recursive/openapi.yaml', fixtures).model.resources[0]!;
    expect(createSchema(same)).toEqual(createSchema(cross));
    expect(parentDepth(same.fields.find((f) => f.name === 'parent')!.jsonSchema as JsonObject)).toBe(
      RECURSION_DEPTH,
    );
  });

  it('names a hoisted schema after its pointer and never takes a name the root has', () => {
    const dir = join(work, 'mutual');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'openapi.yaml'),
      `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /nodes:
    get:
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: './defs.yaml#/Node' } } }
components:
  schemas:
    Node: { type: string }
`,
    );
    // Node and Edge refer to each other: each is hoisted once.
    writeFileSync(
      join(dir, 'defs.yaml'),
      `Node: { type: object, properties: { out: { type: array, items: { $ref: '#/Edge' } } } }
Edge: { type: object, properties: { to: { $ref: '#/Node' } } }
`,
    );
    const files = new SpecFiles(join(dir, 'openapi.yaml'), dir);
    const bundled = files.bundle() as JsonObject;
    const schemas = (bundled.components as JsonObject).schemas as JsonObject;
    expect(schemas.Node).toEqual({ type: 'string' });
    expect(schemas.Node2).toEqual({
      type: 'object',
      properties: {
        out: {
          type: 'array',
          items: { type: 'object', properties: { to: { $ref: '#/components/schemas/Node2' } } },
        },
      },
    });
    // The standalone schema of the answer is unrolled: Node → Edge → Node … then free-form.
    const schema = toStandaloneSchema(files, {
      node: { $ref: './defs.yaml#/Node' },
      file: join(dir, 'openapi.yaml'),
      pointer: '/x',
    });
    expect(JSON.stringify(schema)).not.toContain('$ref');
  });

  it('reports every problem of a spec in one run, recursion no longer among them', () => {
    const dir = join(work, 'problems');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'openapi.yaml'),
      `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /trees:
    get:
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { type: array, items: { $ref: './Tree.yaml' } } } }
  /bad:
    get:
      parameters:
        - { name: q, in: query, schema: { type: strng } }
      responses: { '200': { description: ok } }
  /worse:
    get:
      parameters:
        - { name: r, in: query, schema: { type: numbr } }
      responses: { '200': { description: ok } }
`,
    );
    writeFileSync(
      join(dir, 'Tree.yaml'),
      `type: object
properties:
  id: { type: integer }
  kids: { type: array, items: { $ref: ./Tree.yaml } }
`,
    );
    let caught: unknown;
    try {
      modelFromOpenApi('openapi.yaml', dir);
    } catch (error) {
      caught = error;
    }
    expect(isTenonError(caught)).toBe(true);
    const problems = (caught as { details: { problems: { pointer: string; code: string; hint?: string }[] } })
      .details.problems;
    expect(problems.map((p) => p.pointer).sort()).toEqual([
      '/paths/~1bad/get/parameters/0/schema/type',
      '/paths/~1worse/get/parameters/0/schema/type',
    ]);
    for (const p of problems) expect(p.hint).toBeTruthy();
  });
});

/**
 * Schemas that refer to each other in many cycles (spree's Product, Variant, Taxon, Category…)
 * unroll into a tree that grows exponentially: generation ran out of memory. Past a budget the
 * recursion is unrolled once; past it again the resource is refused as before (handlers), fast.
 */
describe('toStandaloneSchema: many cycles', () => {
  it('unrolls once when three levels do not fit, and refuses what still does not fit, without running out of memory', () => {
    const names = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const schemas: JsonObject = {};
    // Every schema refers to every other: simple paths alone number 8!.
    for (const n of names)
      schemas[n] = {
        type: 'object',
        properties: Object.fromEntries([
          ['id', { type: 'integer' }],
          ...names
            .filter((m) => m !== n)
            .map((m) => [m.toLowerCase(), { $ref: `#/components/schemas/${m}` }]),
        ]),
      };
    // Two schemas in a cycle with many properties each: three levels are too big, one level fits.
    const wide = (other: string) => ({
      type: 'object',
      properties: {
        other: { $ref: `#/components/schemas/${other}` },
        ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, { type: 'string' }])),
        more: { type: 'array', items: { $ref: `#/components/schemas/${other}` } },
        third: { $ref: `#/components/schemas/${other}` },
      },
    });
    schemas.Wide = wide('Wider');
    schemas.Wider = wide('Wide');
    const file = join(work, 'cycles.json');
    writeFileSync(
      file,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: {},
        components: { schemas },
      }),
    );
    const files = new SpecFiles(file, work);
    const at = (name: string) => ({ node: { $ref: `#/components/schemas/${name}` }, file, pointer: '' });
    let refused: unknown;
    try {
      toStandaloneSchema(files, at('A'));
    } catch (error) {
      refused = error;
    }
    expect(isTenonError(refused) && refused.code).toBe('TENON_SCAFFOLD_SPEC_UNSUPPORTED');
    expect(String((refused as Error).message)).toMatch(/too many ways to inline/);
    const once = toStandaloneSchema(files, at('Wide'));
    // Unrolled once: Wide's `other` is Wider, whose `other` is free-form.
    const other = (once.properties as JsonObject).other as JsonObject;
    expect(Object.keys(other.properties as JsonObject)).toContain('p0');
    expect((other.properties as JsonObject).other).toEqual({});
  });
});
