import { quoteIdent } from '../core/sql/quote.js';
import type { FieldModel, ResourceModel } from './api-model.js';
import { ORDERED_KINDS } from './api-model.js';
import { acceptsSort } from './declared-sort.js';
import { unlikelyId } from './id-pattern.js';
import { inputSample, overBudget } from './input-sample.js';
import { inputFields, inputRequired, readableFields, settableFields, sortValues } from './json-schemas.js';
import { requiredListQuery } from './list-required.js';
import { listTestProbes } from './list-test-probes.js';
import { toCamel } from './naming.js';
import { queryValue, sampleFromSchema, wrongValue } from './test-samples.js';
import { propertyAccess, propKey } from './ts-types.js';

/** True for a sample that is the same on every call (a literal). */
function isConstant(expr: string): boolean {
  return /^["'\d[{-]|^(true|false|null)$/.test(expr);
}

/**
 * A key no test row has, valid for the key property's schema (so a read of it
 * is a 404, not a 400): the first candidate its pattern and length limits
 * accept. Rows of the tests get short varied samples, never these words.
 */
function missingKey(field: FieldModel | undefined): string {
  const candidates = ['no-such-key', 'nosuchkey', 'NOSUCHKEY', 'zzzzzzzzzz', '9999999999', 'no_such_key'];
  const fits = (c: string) =>
    (!field?.pattern || new RegExp(field.pattern, 'u').test(c)) &&
    c.length >= (field?.minLength ?? 0) &&
    c.length <= (field?.maxLength ?? 200);
  return candidates.find(fits) ?? candidates[0]!;
}

/** Refers back to `origin` through required references? Then fixtures must not create it (endless). */
function refersBack(
  all: readonly ResourceModel[],
  from: string,
  origin: string,
  seen = new Set<string>(),
): boolean {
  if (from === origin) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  const r = all.find((x) => x.name === from);
  return (r?.fields ?? []).some((f) => f.ref && refersBack(all, f.ref, origin, seen));
}

/**
 * What the generated CRUD tests of a resource need: the create and patch samples (from the
 * operations' own body schemas), the references to create first, and the fields each test probes.
 */
export function testView(r: ResourceModel, all: readonly ResourceModel[]) {
  const parents: { variable: string; target: string }[] = [];
  let sample: { name: string; key: string; expr: string | undefined }[] = [];
  // Fields whose answer may differ from the sample sent (ids answered as objects): not compared.
  const unanswered = new Set<string>();
  // The create body's fields: what a client may send (the spec's request body when it has one).
  const inputs = r.operations.create ? inputFields(r, 'create') : settableFields(r);
  for (const f of inputs) {
    if (f.ref) {
      if (refersBack(all, f.ref, r.name)) {
        if (f.required) sample.push({ name: f.name, key: propKey(f.name), expr: undefined });
        continue;
      }
      const variable = `${toCamel(f.ref)}${parents.length}`;
      parents.push({ variable, target: f.ref });
      sample.push({ name: f.name, key: propKey(f.name), expr: `${variable}.id` });
      continue;
    }
    const { expr, answered } = inputSample(r, f);
    if (!answered) unanswered.add(f.name);
    if (f.unique && expr !== undefined && isConstant(expr)) {
      // The same value twice would break the unique constraint: leave optional fields out.
      if (!f.required) continue;
      sample.push({ name: f.name, key: propKey(f.name), expr: undefined });
      continue;
    }
    // An optional field without a sample is left out; a required one says so in the fixture.
    if (expr !== undefined || f.required) sample.push({ name: f.name, key: propKey(f.name), expr });
  }
  // The create body requires another row's key (served-bodies.ts): a sample of its declared schema.
  const reference = r.operations.create ? r.served?.bodies?.create?.key : undefined;
  if (reference?.reference) {
    const name = r.idName ?? 'id';
    sample.unshift({ name, key: propKey(name), expr: JSON.stringify(sampleFromSchema(reference.schema)) });
  }
  const dropped = overBudget(inputs, sample);
  sample = sample.filter((s) => !dropped.has(s.name));
  const withSample = new Set(sample.filter((s) => s.expr !== undefined).map((s) => s.name));
  const readable = new Set(readableFields(r).map((f) => f.name));
  const usable = (f: FieldModel) => withSample.has(f.name) && readable.has(f.name);
  const varies = (f: FieldModel) => {
    const expr = sample.find((x) => x.name === f.name)?.expr;
    return expr !== undefined && !isConstant(expr);
  };
  const writable = inputs;
  const patchable = new Set(inputFields(r, 'patch').map((f) => f.name));
  // The list's required parameters are in every list request of the tests: no filter test on them.
  const requiredList = requiredListQuery(r);
  // A list whose items are a summary of the row (answer-shapes.ts) answers only some properties:
  // the filter and sort tests read theirs back from the items.
  const listProps = r.served?.shapes?.list?.schema.properties as Record<string, unknown> | undefined;
  const listed = (f: FieldModel) => !listProps || f.name in listProps;
  const filterable = (f: FieldModel) =>
    f.filterable && usable(f) && listed(f) && !requiredList?.names.includes(f.name);
  const filterField =
    writable.find((f) => filterable(f) && (f.kind === 'enum' || f.kind === 'boolean' || f.ref)) ??
    writable.find((f) => filterable(f) && ['integer', 'bigint', 'string', 'email', 'uuid'].includes(f.kind));
  const rangeField = writable.find((f) => filterable(f) && ORDERED_KINDS.has(f.kind));
  const sortField = writable.find(
    (f) =>
      f.sortable &&
      usable(f) &&
      listed(f) &&
      acceptsSort(r, f.name, sortValues(r)) &&
      ['integer', 'bigint', 'number', 'decimal', 'date', 'datetime'].includes(f.kind),
  );
  const requiredRef = writable.find((f) => f.ref && f.required && withSample.has(f.name));
  const wrong = writable.find((f) => withSample.has(f.name) && wrongValue(f) !== undefined && !f.ref);
  const target = requiredRef ? all.find((x) => x.name === requiredRef.ref) : undefined;
  const dt = (f: FieldModel | undefined) => f?.kind === 'datetime';
  const patch = writable.find(
    (f) => patchable.has(f.name) && usable(f) && !f.ref && varies(f) && f.kind !== 'boolean',
  )?.name;
  return {
    requiredList,
    parents,
    sample,
    compare: writable.filter((f) => usable(f) && !unanswered.has(f.name)).map((f) => propKey(f.name)),
    /** Passwords and secrets the create sample gives: the test reads their column back (a hash). */
    secrets: writable
      .filter((f) => f.secret && withSample.has(f.name))
      .map((f) => ({
        name: f.name,
        literal: `'${f.name.replace(/[\\']/g, '\\$&')}'`,
        key: propKey(f.name),
        column: quoteIdent(f.column),
      })),
    missingId: r.lookupKey
      ? r.fields.find((f) => f.name === r.lookupKey)?.kind === 'uuid'
        ? '00000000-0000-4000-8000-000000000000'
        : missingKey(r.fields.find((f) => f.name === r.lookupKey))
      : r.idKind === 'uuid'
        ? '00000000-0000-4000-8000-000000000000'
        : r.idKind === 'text'
          ? unlikelyId(r.idPattern)
          : '999999999',
    requiredField: writable.find((f) => inputRequired(r, 'create', f))?.name,
    wrong: wrong ? { key: wrong.name, value: wrongValue(wrong)! } : undefined,
    requiredRef: requiredRef
      ? {
          key: requiredRef.name,
          target: requiredRef.ref!,
          missing:
            target?.idKind === 'uuid'
              ? "'00000000-0000-4000-8000-000000000000'"
              : target?.idKind === 'text'
                ? "'no-such-id'"
                : '999999999',
        }
      : undefined,
    unique: writable.find((f) => f.unique && usable(f) && varies(f) && !f.ref)?.name,
    patch,
    patchSample: r.operations.patch ? patchSample(r, sample, patch) : [],
    /** What the create body takes: the mass-assignment test refuses only the rest. */
    /** What the create body takes (the mass-assignment test refuses the rest): its fields, and another row's key. */
    createAccepts: [...inputs.map((f) => f.name), ...(reference?.reference ? [r.idName ?? 'id'] : [])],
    filter: filterField
      ? {
          key: filterField.name,
          query: dt(filterField) ? 'encodeURIComponent(value!.toISOString())' : queryValue(filterField),
          expected: dt(filterField) ? 'value!.toISOString()' : 'value',
        }
      : undefined,
    range: rangeField
      ? {
          key: rangeField.name,
          query: dt(rangeField) ? 'encodeURIComponent(value.toISOString())' : queryValue(rangeField),
          compare: dt(rangeField)
            ? `new Date(item${propertyAccess(rangeField.name)}) >= value`
            : `item${propertyAccess(rangeField.name)} >= value`,
        }
      : undefined,
    sortField: sortField?.name,
    /** The list's `sort` values for id order and the queries it refuses (list-test-probes.ts). */
    list: listTestProbes(r),
    /** Text fields the injection corpus of the hardening tests writes into. */
    strings: writable
      .filter((f) => usable(f) && !f.ref && ['string', 'text', 'email', 'uri'].includes(f.kind))
      .map((f) => f.name),
    /** A 32-bit integer field, for the int4 overflow test. */
    int4: writable.find((f) => usable(f) && !f.ref && f.kind === 'integer')?.name,
  };
}

/**
 * The body of the generated PATCH tests, from the PATCH operation's own
 * schema: every field it requires, the field the test changes, and more
 * fields while `minProperties` asks for them. A field the create sample has
 * takes that value (`input.<name>`: its references exist); any other gets
 * a sample of its own schema.
 */
function patchSample(
  r: ResourceModel,
  sample: readonly { name: string; key: string; expr: string | undefined }[],
  changed: string | undefined,
): { name: string; key: string; expr: string | undefined; fromInput: boolean }[] {
  const fields = inputFields(r, 'patch');
  const body = r.served?.bodies?.patch;
  const fromCreate = (name: string) => sample.some((s) => s.name === name && s.expr !== undefined);
  const names = new Set(body?.required.filter((name) => fields.some((f) => f.name === name)) ?? []);
  if (changed) names.add(changed);
  const own = (f: FieldModel) => !f.ref && inputSample(r, f).expr !== undefined;
  // Fields the create sample has first (their references exist), then any with a sample of its own.
  for (const pick of [(f: FieldModel) => fromCreate(f.name), own])
    for (const f of fields) if (names.size < (body?.minProperties ?? 0) && pick(f)) names.add(f.name);
  return fields
    .filter((f) => names.has(f.name))
    .map((f) => ({
      name: f.name,
      key: propKey(f.name),
      expr: fromCreate(f.name)
        ? `input${propertyAccess(f.name)}`
        : f.ref
          ? undefined
          : inputSample(r, f).expr,
      fromInput: fromCreate(f.name),
    }));
}
