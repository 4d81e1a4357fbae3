import { describe, expect, it } from 'vitest';
// The generated projects' own parser (a template file that imports nothing generated).
import { mediaMatches, parseFormBody } from '../../templates/common/src/http/form-body.js';

const schema = {
  type: 'object',
  properties: {
    criteria: { type: 'string' },
    start: { type: 'integer' },
    ratio: { type: ['number', 'null'] },
    exact: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'integer' } },
  },
};

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { status?: number }).status;
  }
  return undefined;
}

describe('form bodies (application/x-www-form-urlencoded) of generated projects', () => {
  it('becomes the object its schema describes: numbers, booleans, repeated fields as arrays', () => {
    expect(
      parseFormBody('criteria=a%3Ab+c&start=10&ratio=0.5&exact=true&tags=1&tags=2&other=x', schema),
    ).toEqual({ criteria: 'a:b c', start: 10, ratio: 0.5, exact: true, tags: [1, 2], other: 'x' });
    // What is not its property's type stays text, so validation names it.
    expect(parseFormBody('start=ten&exact=yes&start2=1', schema)).toEqual({
      start: 'ten',
      exact: 'yes',
      start2: '1',
    });
    expect(parseFormBody('start=', schema)).toEqual({ start: '' });
    expect(parseFormBody('', schema)).toEqual({});
  });

  it('refuses a field given twice, forbidden names and NUL characters with 400', () => {
    expect(status(() => parseFormBody('start=1&start=2', schema))).toBe(400);
    expect(status(() => parseFormBody('__proto__=1', schema))).toBe(400);
    expect(status(() => parseFormBody('constructor=1', undefined))).toBe(400);
    expect(status(() => parseFormBody('criteria=a%00b', schema))).toBe(400);
  });

  it('matches a content type against the media types a route declares', () => {
    expect(mediaMatches('image/png', ['image/png', 'image/jpeg'])).toBe(true);
    expect(mediaMatches('IMAGE/PNG; q=1', ['image/png'])).toBe(true);
    expect(mediaMatches('image/webp', ['image/*'])).toBe(true);
    expect(mediaMatches('application/json', ['image/*'])).toBe(false);
    expect(mediaMatches('text/plain', ['*/*'])).toBe(true);
    expect(mediaMatches(undefined, ['*/*'])).toBe(false);
    expect(mediaMatches('application/octet-stream', ['image/png'])).toBe(false);
  });
});

describe('form bodies whose schema is a union of objects', () => {
  // As the generator writes kratos's login body: each branch's discriminator value an enum.
  const union = {
    oneOf: [
      {
        type: 'object',
        properties: {
          method: { type: 'string', enum: ['password'] },
          code: { type: 'string' },
          remember: { type: 'boolean' },
        },
      },
      {
        type: 'object',
        properties: { method: { type: 'string', enum: ['totp'] }, code: { type: 'integer' } },
      },
    ],
  };

  it('reads the fields by the branch their discriminator value names', () => {
    expect(parseFormBody('method=password&code=123&remember=true', union)).toEqual({
      method: 'password',
      code: '123',
      remember: true,
    });
    expect(parseFormBody('method=totp&code=123', union)).toEqual({ method: 'totp', code: 123 });
    // No branch named: the first branch that declares a field reads it; validation judges the rest.
    expect(parseFormBody('code=123&remember=false', union)).toEqual({ code: '123', remember: false });
  });

  it('reads the properties of allOf parts', () => {
    const parts = {
      allOf: [{ properties: { n: { type: 'integer' } } }, { properties: { b: { type: 'boolean' } } }],
    };
    expect(parseFormBody('n=2&b=true', parts)).toEqual({ n: 2, b: true });
  });
});
