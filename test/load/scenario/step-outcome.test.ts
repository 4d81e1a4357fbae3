import { describe, expect, it } from 'vitest';
import { type ScenarioResponse, stepSchema } from '../../../src/load/scenario/scenario-schema.js';
import { checkResponse, extractVariables } from '../../../src/load/scenario/step-outcome.js';

const response = (status: number, json: unknown, headers: Record<string, string> = {}): ScenarioResponse => ({
  status,
  headers,
  text: JSON.stringify(json),
  json,
});
const step = (extra: Record<string, unknown>) => stepSchema.parse({ name: 's', url: '/x', ...extra });

describe('checkResponse', () => {
  it('defaults to a status below 400', () => {
    expect(checkResponse(step({}), response(204, null), {})).toBeUndefined();
    expect(checkResponse(step({}), response(404, null), {})).toMatchObject({ reason: 'unexpectedStatus' });
    expect(checkResponse(step({}), response(429, null), {})).toMatchObject({ reason: 'rateLimited' });
    expect(checkResponse(step({}), response(503, null), {})).toMatchObject({ reason: 'serverError' });
  });

  it('checks status lists, pointers, templated values, body text and functions', () => {
    const s = step({
      check: {
        status: [200, 201],
        has: ['/id'],
        json: { '/owner': '{{me}}', '/n': 2 },
        bodyIncludes: 'owner',
      },
    });
    expect(checkResponse(s, response(201, { id: 1, owner: 'ann', n: 2 }), { me: 'ann' })).toBeUndefined();
    expect(checkResponse(s, response(202, {}), { me: 'ann' })?.message).toBe('status 202, expected 200,201');
    expect(checkResponse(s, response(200, { owner: 'ann' }), { me: 'ann' })?.message).toBe(
      'no /id in the body',
    );
    expect(checkResponse(s, response(200, { id: 1, owner: 'bob', n: 2 }), { me: 'ann' })?.message).toBe(
      '/owner is "bob", expected "ann"',
    );
    const fn = step({ check: (r: ScenarioResponse) => r.status === 500 || 'not a 500' });
    expect(checkResponse(fn, response(500, {}), {})).toBeUndefined();
    expect(checkResponse(fn, response(200, {}), {})).toEqual({ reason: 'checkFailed', message: 'not a 500' });
  });
});

describe('extractVariables', () => {
  it('sets variables from JSON pointers, headers, regexes and functions', () => {
    const vars: Record<string, unknown> = {};
    const s = step({
      extract: {
        id: { json: '/data/0/id' },
        loc: { header: 'Location' },
        word: { regex: '"w":"(\\w+)"' },
        twice: (r: ScenarioResponse) => (r.json as { data: { id: number }[] }).data[0]!.id * 2,
      },
    });
    expect(
      extractVariables(s, response(200, { data: [{ id: 5 }], w: 'hey' }, { location: '/a/5' }), vars),
    ).toBeUndefined();
    expect(vars).toEqual({ id: 5, loc: '/a/5', word: 'hey', twice: 10 });
  });

  it('fails when a value is missing', () => {
    expect(extractVariables(step({ extract: { id: { json: '/id' } } }), response(200, {}), {})).toEqual({
      reason: 'extractFailed',
      message: 'id: nothing at JSON pointer /id',
    });
  });
});
