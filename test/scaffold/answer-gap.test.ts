import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answerGap, answerGapOf } from '../../src/scaffold/answer-gap.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/degrade/', import.meta.url));
const obj = (required: string[], properties: Record<string, unknown> = {}) => ({
  type: 'object',
  required,
  properties,
});

describe('answerGap: can every value a body accepts be answered?', () => {
  it('names a property the answer requires and the body may leave out', () => {
    expect(answerGap(obj(['handle', 'secret']), obj(['handle', 'token']))).toBe('token');
    expect(answerGap(obj(['handle', 'token', 'extra']), obj(['handle', 'token']))).toBeUndefined();
  });

  it('looks inside nested objects and array items', () => {
    const answer = obj(['who'], { who: obj(['name']) });
    expect(answerGap(obj(['who'], { who: obj([]) }), answer)).toBe('who.name');
    expect(answerGap(obj(['who'], { who: obj(['name']) }), answer)).toBeUndefined();
    const list = (items: unknown) => ({ type: 'array', items });
    expect(answerGap(list(obj([])), list(obj(['a'])))).toBe('[].a');
    // A single value stored as a list of one is compared with the items.
    expect(answerGap(obj([]), list(obj(['a'])))).toBe('a');
    expect(answerGap({ type: 'string' }, list({ type: 'string' }))).toBeUndefined();
  });
});

describe('a JSON body the answers could not write back', () => {
  it('makes its resource handlers, never a server that commits the row and answers 500', () => {
    const { model, warnings } = modelFromOpenApi('json-gap.yaml', fixtures);
    // Badge's body requires more than its answer: it stays a table.
    expect(model.resources.map((r) => r.name)).toEqual(['Badge']);
    expect(model.operations.map((o) => `${o.method.toUpperCase()} ${o.specPath}`).sort()).toEqual([
      'GET /accounts/{id}',
      'POST /accounts',
    ]);
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud');
    expect(notCrud).toHaveLength(2);
    expect(notCrud[0]!.message).toMatch(
      /^POST \/accounts is a handler of its own .*Account\.login in the create body may leave out login\.token, which the answers require/,
    );
    // The notes about the dropped resource are dropped with it.
    expect(warnings.filter((w) => w.message.startsWith('Account.'))).toEqual([]);
  });

  it('with --conventions the body is the resource: it stays a table', () => {
    const { model } = modelFromOpenApi('json-gap.yaml', fixtures, { conventions: true });
    expect(model.resources.map((r) => r.name)).toEqual(['Account', 'Badge']);
  });
});

describe('a JSON body behind a value-or-null union (pydantic Optional[list[…]])', () => {
  const list = (items: unknown) => ({ type: 'array', items });
  const orNull = (schema: unknown) => ({ anyOf: [schema, { type: 'null' }] });

  it('compares the value the union admits besides null', () => {
    expect(answerGap(orNull(list(obj(['note']))), list(obj(['id', 'note'])))).toBe('[].id');
    expect(answerGap({ type: ['array', 'null'], items: obj([]) }, list(obj(['a'])))).toBe('[].a');
    expect(answerGap(obj([], { who: orNull(obj([])) }), obj([], { who: obj(['name']) }))).toBe('who.name');
    expect(answerGap(orNull(list(obj(['a']))), orNull(list(obj(['a']))))).toBeUndefined();
  });

  it('makes the resource whose stored items could not be answered handlers, not a 500 after the commit', () => {
    const { model, warnings } = modelFromOpenApi('json-gap-nullable.yaml', fixtures);
    // Tag's colors give what the answer's need: it stays a table; Run's steps lack id and created_at.
    expect(model.resources.map((r) => r.name)).toEqual(['Tag']);
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(notCrud).toHaveLength(2);
    expect(notCrud[0]).toMatch(
      /^POST \/runs\/ is a handler of its own .*steps\[\]\.id, which the answers require/,
    );
  });
});

/**
 * A body that may send null where the answer requires a value (`label: string | null` in, `label:
 * string` required out): the row stored the null and its answer broke the spec. Only presence was
 * compared, and the null branch was dropped from both sides before that.
 */
describe('a JSON body that may hold null where the answer requires a value', () => {
  const list = (items: unknown) => ({ type: 'array', items });
  const orNull = (schema: unknown) => ({ anyOf: [schema, { type: 'null' }] });

  it('is a gap: a required property, or array items, the body lets be null', () => {
    const answer = obj(['label'], { label: { type: 'string' } });
    expect(answerGapOf(obj(['label'], { label: orNull({ type: 'string' }) }), answer)).toEqual({
      path: 'label',
      kind: 'null',
    });
    expect(answerGapOf(obj(['label'], { label: { type: ['string', 'null'] } }), answer)).toEqual({
      path: 'label',
      kind: 'null',
    });
    expect(answerGapOf(obj(['label'], { label: { type: 'string', nullable: true } }), answer)?.kind).toBe(
      'null',
    );
    expect(answerGapOf(obj(['label'], { label: { enum: ['a', null] } }), answer)?.kind).toBe('null');
    expect(answerGapOf(list(orNull(obj([]))), list(obj([])))).toEqual({ path: '[]', kind: 'null' });
    // Left out is still reported as left out.
    expect(answerGapOf(obj([], { label: { type: 'string' } }), answer)).toEqual({
      path: 'label',
      kind: 'missing',
    });
  });

  it('is no gap where the answer takes null too, does not require it, or the body names no null', () => {
    const body = obj(['label'], { label: orNull({ type: 'string' }) });
    expect(answerGap(body, obj(['label'], { label: { type: ['string', 'null'] } }))).toBeUndefined();
    expect(answerGap(body, obj(['label'], { label: orNull({ type: 'string' }) }))).toBeUndefined();
    expect(answerGap(body, obj(['label'], { label: {} }))).toBeUndefined();
    expect(answerGap(body, obj([], { label: { type: 'string' } }))).toBeUndefined();
    expect(
      answerGap(obj(['label'], { label: {} }), obj(['label'], { label: { type: 'string' } })),
    ).toBeUndefined();
    expect(
      answerGap(
        obj(['label'], { label: { type: 'string', enum: ['a', 'b'] } }),
        obj(['label'], { label: { type: 'string' } }),
      ),
    ).toBeUndefined();
  });

  it('makes the resource whose stored value could not be answered handlers, not an answer that breaks the spec', () => {
    const { model, warnings } = modelFromOpenApi('json-gap-null.yaml', fixtures);
    // Badge's answer takes a null label: it stays a table; Card's requires a string.
    expect(model.resources.map((r) => r.name)).toEqual(['Badge']);
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(notCrud).toHaveLength(2);
    expect(notCrud[0]).toMatch(
      /^POST \/cards is a handler of its own .*Card\.face in the create body may hold null at face\.label, where the answers require a value/,
    );
  });
});
