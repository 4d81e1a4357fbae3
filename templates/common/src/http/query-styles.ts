/**
 * OpenAPI's query parameter styles, read back into the values the spec's
 * schemas describe. The query parser hands over flat text (`{ q: 'a', tags:
 * ['a', 'b'] }`); an object or array parameter is sent by its style:
 *
 * - `form`, exploded (the default): an object's properties are top-level keys
 *   (`?q=a&query_by=b` → `searchParameters: { q, query_by }`), an array repeats
 *   its key (`?tags=a&tags=b`);
 * - `form`, not exploded: `?filter=a,1,b,2` (key, value, key, value), `?tags=a,b`;
 * - `deepObject`: `?filter[a]=1&filter[b]=2`;
 * - `spaceDelimited` / `pipeDelimited`, not exploded: `?tags=a%20b`, `?tags=a|b`.
 *
 * The generator writes a parameter's style as `x-query-style` and its explode
 * as `x-query-explode` on the parameter's schema when they are not the
 * defaults; ajv ignores both. Types are coerced by the validation that follows.
 */

type Query = Record<string, unknown>;
type Kind = 'object' | 'array' | 'scalar';

interface Styled {
  name: string;
  kind: Kind;
  style: string;
  explode: boolean;
  /** Object parameters: their declared properties, and whether other keys belong to them too. */
  properties: Set<string>;
  open: boolean;
  /** Properties of an exploded object that are arrays (their key may repeat). */
  arrays: Set<string>;
}

interface Plan {
  declared: Set<string>;
  styled: Styled[];
  repeatable: Set<string>;
}

const SEPARATORS: Record<string, string> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|' };
const plans = new WeakMap<object, Plan>();
/** What a route without styled parameters repeats: one set for all (this runs on every request). */
const NONE: ReadonlySet<string> = new Set();

function kindOf(schema: unknown): Kind {
  if (typeof schema !== 'object' || schema === null) return 'scalar';
  const s = schema as Record<string, unknown>;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('array')) return 'array';
  if (types.includes('object') || (s.type === undefined && typeof s.properties === 'object')) return 'object';
  return 'scalar';
}

function planOf(schema: object | undefined): Plan | undefined {
  if (!schema) return undefined;
  const cached = plans.get(schema);
  if (cached) return cached;
  const properties = ((schema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {}) as Record<
    string,
    Record<string, unknown>
  >;
  const plan: Plan = { declared: new Set(Object.keys(properties)), styled: [], repeatable: new Set() };
  for (const [name, ps] of Object.entries(properties)) {
    const kind = kindOf(ps);
    if (kind === 'scalar') continue;
    const style = typeof ps['x-query-style'] === 'string' ? ps['x-query-style'] : 'form';
    const explode = typeof ps['x-query-explode'] === 'boolean' ? ps['x-query-explode'] : style === 'form';
    const own = (ps.properties ?? {}) as Record<string, unknown>;
    const arrays = new Set(Object.keys(own).filter((k) => kindOf(own[k]) === 'array'));
    plan.styled.push({
      name,
      kind,
      style,
      explode,
      properties: new Set(Object.keys(own)),
      // An object that declares no properties, or allows more, takes the keys no other parameter names.
      open: Object.keys(own).length === 0 ? ps.additionalProperties !== false : Boolean(ps.additionalProperties),
      arrays,
    });
    if (kind === 'array' && explode) plan.repeatable.add(name);
    if (kind === 'object' && style === 'form' && explode) for (const a of arrays) plan.repeatable.add(a);
  }
  plans.set(schema, plan);
  return plan;
}

/** The query keys that may be given more than once: arrays sent exploded, as the spec's schema says. */
export function repeatableKeys(schema: object | undefined): ReadonlySet<string> {
  return planOf(schema)?.repeatable ?? NONE;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** An object sent as `key,value,key,value`; the text unchanged when it is not (validation then refuses it). */
function pairs(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parts = value.split(',');
  if (parts.length % 2 !== 0) return value;
  const out: Query = {};
  for (let i = 0; i < parts.length; i += 2) out[parts[i]!] = parts[i + 1];
  return out;
}

/**
 * `query` with each object and array parameter of `schema` (the route's
 * querystring schema) read by its style; keys that name no styled parameter
 * are kept as they are. A key that names both a top-level parameter and a
 * property of an exploded object is given to both.
 */
export function styleQuery(query: Query, schema: object | undefined): Query {
  const plan = planOf(schema);
  if (!plan || plan.styled.length === 0) return query;
  const out: Query = { ...query };
  for (const p of plan.styled) {
    if (p.kind === 'array') {
      if (query[p.name] === undefined) continue;
      const values = list(query[p.name]);
      const separator = SEPARATORS[p.style];
      out[p.name] =
        !p.explode && separator ? values.flatMap((v) => (typeof v === 'string' ? v.split(separator) : [v])) : values;
      continue;
    }
    if (p.style === 'deepObject') {
      const prefix = `${p.name}[`;
      const value: Query = {};
      let found = false;
      for (const key of Object.keys(query)) {
        if (!key.startsWith(prefix) || !key.endsWith(']')) continue;
        value[key.slice(prefix.length, -1)] = query[key];
        delete out[key];
        found = true;
      }
      if (found) out[p.name] = value;
    } else if (!p.explode) {
      if (query[p.name] !== undefined) out[p.name] = pairs(query[p.name]);
    } else if (query[p.name] === undefined) {
      const value: Query = {};
      let found = false;
      for (const key of Object.keys(query)) {
        if (key === p.name || !(p.properties.has(key) || (p.open && !plan.declared.has(key)))) continue;
        value[key] = query[key];
        if (!plan.declared.has(key)) delete out[key];
        found = true;
      }
      if (found) out[p.name] = value;
    }
  }
  return out;
}
