import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { errorMedia } from '../../src/scaffold/openapi-errors.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('error answers declared in media types other than JSON (generation)', () => {
  const { model, warnings } = modelFromOpenApi('error-media.yaml', fixtures);
  const errors = model.serving!.errors!;
  const formatOf = (operationId: string, status: string) => {
    const index = errors.operations[operationId]?.[status];
    return index === undefined ? undefined : errors.formats[index];
  };

  it('YAML-only errors are the spec’s schema mapped as for JSON, in the declared YAML type (gotify’s plugin configuration)', () => {
    const yaml = formatOf('getNoteConfig', '400');
    expect(yaml).toMatchObject({
      contentType: 'application/x-yaml',
      body: { object: { code: { from: 'code' }, message: { from: 'message' } } },
      source: '/components/schemas/Error',
    });
    expect(yaml?.kind).toBeUndefined();
    expect(formatOf('getNoteConfig', '404')).toBe(yaml);
  });

  it('a text/plain-only error is the message as text', () => {
    expect(formatOf('getNote', '404')).toMatchObject({
      contentType: 'text/plain',
      kind: 'text',
      body: { from: 'message' },
      schema: { type: 'string' },
    });
  });

  it('statuses an operation does not declare answer in the most used JSON format, never a YAML or text one', () => {
    expect(errors.formats[errors.fallback]).toMatchObject({ contentType: 'application/json' });
  });

  it('an error declared only in a type tenon does not write (HTML) is reported with its pointer', () => {
    expect(formatOf('getNotePage', '404')).toBeUndefined();
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'error-media-not-served',
        at: 'error-media.yaml#/paths/~1notes~1{id}~1page/get/responses/404',
      }),
    );
  });

  it('the media type: JSON first, else YAML, else text/plain; wildcards and others none', () => {
    expect(errorMedia(['text/plain', 'application/yaml', 'application/problem+json'])).toEqual({
      type: 'application/problem+json',
      kind: 'json',
    });
    expect(errorMedia(['text/plain', 'text/yaml'])).toEqual({ type: 'text/yaml', kind: 'json' });
    expect(errorMedia(['application/xml', 'text/plain; charset=utf-8'])).toEqual({
      type: 'text/plain; charset=utf-8',
      kind: 'text',
    });
    expect(errorMedia(['application/octet-stream'])).toEqual({
      type: 'application/octet-stream',
      kind: 'json',
    });
    expect(errorMedia(['application/xml', 'text/html'])).toBeUndefined();
  });
});
