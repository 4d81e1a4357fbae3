import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { generateProject } from '../../src/scaffold/generate.js';
import {
  crudParameters,
  parameterSchema,
  requiredCrudQueries,
  requiredParameterHeaders,
} from '../../src/scaffold/parameter-schemas.js';

const spec = fileURLToPath(new URL('./fixtures/crud-parameters.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-crud-params-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function note() {
  const { model } = modelFromOpenApi(spec, work);
  return { model, note: model.resources.find((r) => r.name === 'Note')! };
}

describe('parameters of CRUD operations', () => {
  it('are read per operation: headers and cookies of each, query of create/update/patch/delete; Content-Type is ignored', () => {
    const { note: r } = note();
    const names = (kind: 'create' | 'read' | 'delete') =>
      r.served!.parameters![kind]!.map((p) => `${p.in}:${p.name}${p.required ? '!' : ''}`);
    expect(names('create')).toEqual(['header:X-Request-Tag!', 'header:Idempotency-Key', 'query:dryRun']);
    expect(names('read')).toEqual(['cookie:theme', 'header:X-Max']);
    expect(names('delete')).toEqual(['query:reason']);
  });

  it('become the schemas the routes validate: header names lower-cased, required kept', () => {
    const { note: r } = note();
    expect(crudParameters(r, 'create')).toEqual({
      headers: {
        type: 'object',
        properties: {
          'x-request-tag': { type: 'string', enum: ['alpha', 'beta'] },
          'idempotency-key': { type: 'string', maxLength: 64 },
        },
        required: ['x-request-tag'],
      },
      cookies: undefined,
      query: { type: 'object', properties: { dryRun: { type: 'boolean' } } },
    });
    expect(crudParameters(r, 'read')).toMatchObject({
      cookies: { properties: { theme: { enum: ['light', 'dark'] } } },
      headers: { properties: { 'x-max': { type: 'integer', maximum: 5 } } },
      // GET by id validates its query with the include parameter's schema already.
      query: undefined,
    });
    expect(parameterSchema([], 'header')).toBeUndefined();
  });

  it('give the generated tests the required query parameters of create, GET by key, update, patch and delete, per route', () => {
    const keys = fileURLToPath(new URL('./fixtures/auth-keys.yaml', import.meta.url));
    const { model } = modelFromOpenApi(keys, work);
    const queries = requiredCrudQueries(model.resources);
    expect(queries.map((q) => [q.method, q.path, q.pairs])).toEqual([
      ['POST', '^/notes$', [['source', 'web']]],
      ['GET', '^/notes/[^/]+$', [['view', 'full']]],
      ['PUT', '^/notes/[^/]+$', [['reason', expect.any(String)]]],
      ['PATCH', '^/notes/[^/]+$', [['reason', expect.any(String)]]],
      ['DELETE', '^/notes/[^/]+$', [['reason', expect.any(String)]]],
    ]);
    // Each sample is valid for its schema (minLength 3), and each pattern matches its route only.
    for (const q of queries.slice(2)) expect(q.pairs[0]![1].length).toBeGreaterThanOrEqual(3);
    expect(new RegExp(queries[1]!.path).test('/notes/12')).toBe(true);
    expect(new RegExp(queries[1]!.path).test('/notes/12/x')).toBe(false);
    expect(new RegExp(queries[0]!.path).test('/notes')).toBe(true);
    // The crud-parameters fixture requires no query parameter.
    expect(requiredCrudQueries(note().model.resources)).toEqual([]);
  });

  it('give the generated tests the headers a client must send', () => {
    const { model } = note();
    expect(requiredParameterHeaders(model.resources)).toEqual({ 'x-request-tag': 'alpha' });
  });

  it.each(['fastify', 'express'] as const)(
    'are validated by the %s routes with the custom operations’ code',
    async (framework) => {
      const dir = join(work, framework);
      await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
      const routes = readFileSync(join(dir, 'src/generated/resources/note.routes.ts'), 'utf8');
      const cookie = framework === 'fastify' ? 'request.headers.cookie' : 'req.headers.cookie';
      expect(routes).toContain('const parameters = {');
      expect(routes).toContain("read: compileFor('query', {");
      expect(routes).toContain(`cookieInput(${cookie}, cookies.read);`);
      expect(routes).toMatch(/schema: \{ \.\.\.parameters\.create, body: s\.create/);
      expect(routes).toMatch(/schema: \{ \.\.\.parameters\.delete, params: s\.params \}/);
      expect(routes).not.toContain('content-type');
      expect(readFileSync(join(dir, 'test/generated/spec-parameters.ts'), 'utf8')).toContain(
        'export const SPEC_PARAMETER_HEADERS: Record<string, string> = {\n  "x-request-tag": "alpha"\n};',
      );
    },
  );
});
