import { describe, expect, it } from 'vitest';
import { MissingVariableError, renderJson, renderTemplate } from '../../../src/load/scenario/template.js';

describe('renderTemplate', () => {
  const vars = { id: 42, token: 'abc', user: { email: 'a@example.com' }, list: [1, 2] };

  it('replaces placeholders, dotted paths and objects as JSON', () => {
    expect(renderTemplate('/orders/{{id}}?t={{ token }}&u={{user.email}}&l={{list}}', vars)).toBe(
      '/orders/42?t=abc&u=a@example.com&l=[1,2]',
    );
  });

  it('returns text without placeholders unchanged', () => {
    expect(renderTemplate('/plain', {})).toBe('/plain');
  });

  it('names the missing variable', () => {
    expect(() => renderTemplate('/x/{{nope}}', vars)).toThrow(MissingVariableError);
    expect(() => renderTemplate('/x/{{user.name}}', vars)).toThrow('no variable "user.name"');
  });

  it('has built-ins that change every time', () => {
    const a = renderTemplate('{{$uuid}}', {});
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(renderTemplate('{{$uuid}}', {})).not.toBe(a);
    expect(Number(renderTemplate('{{$randomInt}}', {}))).toBeLessThan(1_000_000);
  });
});

describe('renderJson', () => {
  it('keeps the type of a leaf that is exactly one placeholder', () => {
    expect(
      renderJson(
        { productId: '{{id}}', note: 'id {{id}}', tags: ['{{token}}'], n: 1, ok: true },
        { id: 7, token: 't' },
      ),
    ).toEqual({
      productId: 7,
      note: 'id 7',
      tags: ['t'],
      n: 1,
      ok: true,
    });
  });
});
