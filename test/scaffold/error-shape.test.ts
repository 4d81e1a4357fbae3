import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveErrorValue, type SampleError, sampleBody } from '../../src/scaffold/error-shape.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const invalid: SampleError = {
  status: 400,
  code: 'VALIDATION_FAILED',
  message: 'The request is not valid.',
  details: [
    { in: 'body', field: 'user.email', message: 'must match format "email"' },
    { in: 'query', field: 'limit', message: 'must be <= 100' },
  ],
};
const missing: SampleError = { status: 404, code: 'NOT_FOUND', message: 'Article not found.' };

/** The bodies of the two sample errors under the mapping derived from `schema`. */
function bodies(schema: Record<string, unknown>): [unknown, unknown] {
  const value = deriveErrorValue(schema as never);
  expect(value).toBeDefined();
  return [sampleBody(value!, invalid), sampleBody(value!, missing)];
}

describe('deriveErrorValue: the families of error schemas', () => {
  it('a property described through allOf keeps its enum (an error code from a list of the spec’s)', () => {
    const [bad] = bodies({
      type: 'object',
      required: ['errors'],
      properties: {
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'message', 'code'],
            properties: {
              key: { type: 'string' },
              message: { type: 'string' },
              code: { allOf: [{ type: 'string', enum: ['invalid', 'blank'] }] },
            },
          },
        },
      },
    });
    expect(bad).toEqual({
      errors: [
        { key: 'user.email', message: 'must match format "email"', code: 'invalid' },
        { key: 'limit', message: 'must be <= 100', code: 'invalid' },
      ],
    });
  });

  it('a code limited to an enum answers the value that names the error, the first for the rest', () => {
    const schema = (codes: string[]) => ({
      type: 'object',
      required: ['code', 'message', 'severity'],
      properties: {
        code: { type: 'string', enum: codes },
        message: { type: 'string' },
        severity: { type: 'string', enum: ['error', 'warning'] },
      },
    });
    // pachca's list: `blank` first; a validation failure is `invalid`, a missing row `not_found`.
    const [bad, gone] = bodies(schema(['blank', 'too_long', 'invalid', 'taken', 'not_found', 'forbidden']));
    expect(bad).toMatchObject({ code: 'invalid', severity: 'error' });
    expect(gone).toMatchObject({ code: 'not_found', severity: 'error' });
    // No value names either error: the first, as before.
    const [bad2, gone2] = bodies(schema(['alpha', 'beta']));
    expect([bad2, gone2]).toMatchObject([{ code: 'alpha' }, { code: 'alpha' }]);
    // An exact spelling of the app's code beats a partial fit.
    const [bad3] = bodies(schema(['invalid_request', 'VALIDATION_FAILED']));
    expect(bad3).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('an error schema built with allOf (base error and properties of its own) is read, not looped on', () => {
    const [bad, gone] = bodies({
      allOf: [
        { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
        { type: 'object', properties: { code: { type: 'string' } } },
      ],
      properties: { status: { type: 'integer' } },
    });
    expect(gone).toEqual({ message: 'Article not found.', code: 'NOT_FOUND', status: 404 });
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it('problem details: type a URI, the status title, the message in detail, never in instance; pointers per problem', () => {
    const [bad, gone] = bodies({
      type: 'object',
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        instance: { type: 'string', format: 'uri-reference' },
        errors: {
          type: 'array',
          items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } },
        },
      },
    });
    expect(bad).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is not valid.',
      errors: [
        { pointer: '/user/email', detail: 'must match format "email"' },
        { pointer: 'limit', detail: 'must be <= 100' },
      ],
    });
    expect(gone).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Article not found.',
    });
    expect(gone).not.toHaveProperty('instance');
  });

  it('an instance named as a URI without a format still never gets the message', () => {
    const [, gone] = bodies({
      type: 'object',
      properties: { title: { type: 'string' }, instance: { type: 'string' } },
    });
    expect(gone).toEqual({ title: 'Article not found.' });
  });

  it('{ error: { code, message } }', () => {
    const [bad] = bodies({
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
      },
    });
    expect(bad).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'The request is not valid.' } });
  });

  it('{ message, errors: [string] }: every problem names its field', () => {
    const [bad, gone] = bodies({
      type: 'object',
      properties: { message: { type: 'string' }, errors: { type: 'array', items: { type: 'string' } } },
    });
    expect(bad).toEqual({
      message: 'The request is not valid.',
      errors: ['user.email: must match format "email"', 'limit: must be <= 100'],
    });
    expect(gone).toEqual({ message: 'Article not found.', errors: ['Article not found.'] });
  });

  it('{ errors: { body: [string] } } (a declared key) and { errors: { <field>: [string] } } (any key)', () => {
    const declared = bodies({
      type: 'object',
      required: ['errors'],
      properties: {
        errors: {
          type: 'object',
          required: ['body'],
          properties: { body: { type: 'array', items: { type: 'string' } } },
        },
      },
    });
    expect(declared[0]).toEqual({
      errors: { body: ['user.email: must match format "email"', 'limit: must be <= 100'] },
    });
    expect(declared[1]).toEqual({ errors: { body: ['Article not found.'] } });
    const keyed = bodies({
      type: 'object',
      properties: {
        errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    });
    expect(keyed[0]).toEqual({
      errors: { 'user.email': ['must match format "email"'], limit: ['must be <= 100'] },
    });
    // A client's field named `__proto__` or `constructor` is a key like any other, not Object.prototype's.
    const value = deriveErrorValue({
      type: 'object',
      properties: {
        errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    });
    const hostile = sampleBody(value!, {
      ...invalid,
      details: ['__proto__', 'constructor'].map((field) => ({ in: 'body', field, message: 'is forbidden' })),
    });
    expect(JSON.stringify(hostile)).toBe(
      '{"errors":{"__proto__":["is forbidden"],"constructor":["is forbidden"]}}',
    );
  });

  it('{ errors: [{ field, message, code }] }', () => {
    const [bad] = bodies({
      type: 'object',
      properties: {
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
          },
        },
      },
    });
    expect(bad).toEqual({
      errors: [
        { field: 'user.email', message: 'must match format "email"', code: 'VALIDATION_FAILED' },
        { field: 'limit', message: 'must be <= 100', code: 'VALIDATION_FAILED' },
      ],
    });
  });

  it('a plain string, and a plain string property', () => {
    expect(bodies({ type: 'string' })[1]).toBe('Article not found.');
    expect(bodies({ type: 'object', properties: { error: { type: 'string' } } })[1]).toEqual({
      error: 'Article not found.',
    });
  });

  it('a list of strings limited to listed values (shlink’s invalidElements) is left out, or empty where required', () => {
    const schema = (required: string[]) => ({
      type: 'object',
      required: ['detail', ...required],
      properties: {
        detail: { type: 'string' },
        invalidElements: { type: 'array', items: { type: 'string', enum: ['validSince', 'maxVisits'] } },
      },
    });
    const [bad] = bodies(schema([]));
    expect(bad).toEqual({ detail: 'The request is not valid.' });
    const [badRequired] = bodies(schema(['invalidElements']));
    expect(badRequired).toEqual({ detail: 'The request is not valid.', invalidElements: [] });
  });

  it('a required property nothing fits: no mapping', () => {
    expect(
      deriveErrorValue({
        type: 'object',
        required: ['tenant'],
        properties: {
          tenant: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'integer', minimum: 1000 } },
          },
        },
      } as never),
    ).toBeUndefined();
  });
});

const work = mkdtempSync(join(tmpdir(), 'tenon-error-shape-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('errorFormats: checked against the spec schema with Ajv', () => {
  it('a schema no mapping satisfies is a warning naming its pointer, and its answers keep the envelope', () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/things': {
          post: {
            operationId: 'makeThing',
            requestBody: {
              content: {
                'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } },
              },
            },
            responses: {
              '200': { description: 'ok' },
              '400': {
                description: 'bad',
                content: {
                  'application/json': {
                    schema: { $ref: '#/components/schemas/Odd' },
                  },
                },
              },
            },
          },
        },
      },
      components: {
        // A message that must be an e-mail address: no error fills it.
        schemas: {
          Odd: {
            type: 'object',
            required: ['message'],
            properties: { message: { type: 'string', format: 'email' } },
          },
        },
      },
    };
    writeFileSync(join(work, 'odd.json'), JSON.stringify(spec));
    const { model, warnings } = modelFromOpenApi('odd.json', work);
    expect(model.serving?.errors).toBeUndefined();
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'error-schema-not-mapped',
        at: expect.stringContaining('/components/schemas/Odd'),
      }),
    );
    expect(warnings.find((w) => w.code === 'error-schema-not-mapped')?.hint).toMatch(/message/);
  });
});

/**
 * FastAPI's HTTPValidationError (`detail: [{ loc: [string | integer], msg, type }]`): `loc` was
 * filled with `[]`, so no answer named the field it refused. It is the part, then the field's path.
 */
describe('deriveErrorValue: FastAPI´s loc', () => {
  it('names the part and the field´s path in each problem', () => {
    const [bad, gone] = bodies({
      type: 'object',
      properties: {
        detail: {
          type: 'array',
          items: {
            type: 'object',
            required: ['loc', 'msg', 'type'],
            properties: {
              loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
              msg: { type: 'string' },
              type: { type: 'string' },
            },
          },
        },
      },
    });
    expect(bad).toEqual({
      detail: [
        { loc: ['body', 'user', 'email'], msg: 'must match format "email"', type: 'VALIDATION_FAILED' },
        { loc: ['query', 'limit'], msg: 'must be <= 100', type: 'VALIDATION_FAILED' },
      ],
    });
    expect(gone).toEqual({ detail: [{ loc: [], msg: 'Article not found.', type: 'NOT_FOUND' }] });
  });
});

/**
 * gotify's `{ error, errorCode: integer, errorDescription }`, all required: `errorCode` ("the http
 * error code") was read as nothing an error has, so the whole schema was left unmapped and every
 * error answer broke the spec's contract.
 */
describe('an integer error code named errorCode/error_code is the HTTP status', () => {
  it('maps the fixture´s error schema: errorCode the status, the strings the message', () => {
    const { model, warnings } = modelFromOpenApi('test/scaffold/fixtures/error-code-integer.yaml');
    expect(warnings.filter((w) => w.code === 'error-schema-not-mapped')).toEqual([]);
    const format = model.serving?.errors?.formats[0];
    expect(format).toBeDefined();
    expect(sampleBody(format!.body, missing)).toEqual({
      error: 'Article not found.',
      errorCode: 404,
      errorDescription: 'Article not found.',
    });
    for (const name of ['error_code', 'ErrorCode'])
      expect(
        sampleBody(
          deriveErrorValue({
            type: 'object',
            required: [name],
            properties: { [name]: { type: 'integer' } },
          })!,
          invalid,
        ),
      ).toEqual({ [name]: 400 });
  });
});
