import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * A request body on a GET is not read, in either framework: Fastify refuses a body schema on a GET
 * route at start-up (listmonk's spec gave a project that built and then could not start), and HTTP
 * gives such a body no meaning. The report says so; the same body on a POST is read.
 */
describe('modelFromOpenApi: a GET that declares a request body', () => {
  const { model, warnings } = modelFromOpenApi('get-body.yaml', fixtures);
  const op = (id: string) => model.operations.find((o) => o.operationId === id)!;

  it('gives the GET handler no body (no schema a route would refuse), and keeps the POST one', () => {
    expect(op('previewTemplate').body).toBeUndefined();
    expect(op('previewTemplate').bodyMedia).toBeUndefined();
    expect(op('renderTemplate').body).toMatchObject({ type: 'object' });
    expect(op('renderTemplate').bodyMedia).toBe('form');
  });

  it('says so in the report, at the operation', () => {
    const ignored = warnings.filter((w) => w.code === 'request-body-ignored');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]!.message).toMatch(/^GET \/templates\/\{id\}\/preview declares a request body/);
    expect(ignored[0]!.at).toMatch(/paths\/~1templates~1\{id\}~1preview\/get$/);
  });
});
