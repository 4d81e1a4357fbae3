import type { PageShape, PageValue } from './api-model.js';
import { child, isObject, type Located, type SpecFiles } from './openapi-loader.js';
import { type NormalizedSchema, normalizeSchema, toStandaloneSchema } from './openapi-schema.js';
import { bodyWrapper } from './openapi-wrapper.js';

/**
 * List answers the spec declares as a page object (`{ object: 'list', page:
 * { total, hasNextPage, endCursor }, items: [...] }`): the resource is the
 * array's item, and the answer is written in the spec's shape, each
 * property filled from the page the data layer returns (by its name) or
 * with the value the spec fixes.
 */

/** A page property's name (lower case, no separators) → what of the page it carries. */
const CARRIES: Record<string, Extract<PageValue, { from: unknown }>['from']> = {
  total: 'total',
  totalcount: 'total',
  totalitems: 'total',
  totalresults: 'total',
  limit: 'limit',
  pagesize: 'limit',
  perpage: 'limit',
  page: 'page',
  pagenumber: 'page',
  currentpage: 'page',
  hasnextpage: 'hasNext',
  hasnext: 'hasNext',
  hasmore: 'hasNext',
  hasprevpage: 'hasPrev',
  hasprev: 'hasPrev',
  haspreviouspage: 'hasPrev',
  endcursor: 'nextCursor',
  nextcursor: 'nextCursor',
  cursor: 'nextCursor',
  nextpage: 'nextCursor',
  nextpagetoken: 'nextCursor',
  nexttoken: 'nextCursor',
  startcursor: 'prevCursor',
  prevcursor: 'prevCursor',
  previouscursor: 'prevCursor',
};

/** What tenon's list envelope holds besides `data`, and what its `meta` holds. */
const ENVELOPE = new Set(['success', 'error', 'meta']);
const META = new Set(['page', 'limit', 'total', 'totalExact', 'nextCursor']);

/**
 * Whether an answer with `data` is tenon's envelope: nothing beside `data`
 * but `success`, `error` and a `meta` of tenon's page fields (or an open
 * one), and room for `success` and `meta` (declared, or not forbidden). A list answer that declares more (`{ data, meta: { paginate: {
 * next_page } } }`, `{ object: 'list', data, has_more }`) is a page object
 * of the spec's own, written in its shape.
 */
export function envelopeOnly(files: SpecFiles, schema: Located): boolean {
  const norm = normalizeSchema(files, schema);
  const props = norm.schema.properties;
  if (!isObject(props) || props.data === undefined) return false;
  // A closed answer (`additionalProperties: false`) that does not declare `success` and `meta` forbids
  // them: it is a page of the spec's own (formbricks hub's `{ data: [...] }`), written in its shape.
  const closed = norm.schema.additionalProperties === false || norm.schema.unevaluatedProperties === false;
  if (closed && (props.success === undefined || props.meta === undefined)) return false;
  for (const name of Object.keys(props)) {
    if (name === 'data') continue;
    if (!ENVELOPE.has(name)) return false;
    if (name !== 'meta' || !norm.propertyLocations.meta) continue;
    const meta = normalizeSchema(files, norm.propertyLocations.meta).schema.properties;
    if (isObject(meta) && Object.keys(meta).some((m) => !META.has(m))) return false;
  }
  return true;
}

/**
 * The items of a page object: its one array property (of objects) when the
 * schema is an object with such a property and is not tenon's envelope
 * ({@link envelopeOnly}, read elsewhere). Undefined for anything else.
 */
export function pageItems(
  files: SpecFiles,
  schema: Located,
): { name: string; items: Located; within?: string } | undefined {
  const norm = normalizeSchema(files, schema);
  const props = norm.schema.properties;
  if (!isObject(props)) return undefined;
  const own = props.data !== undefined && envelopeOnly(files, schema) ? undefined : ownPage(files, norm);
  return own ?? nestedPage(files, schema);
}

/**
 * A page object nested one level inside an envelope property (listmonk's
 * `{ data: { results: [...], total, page, per_page } }`): the one object
 * property whose own properties are a page — an array of objects with a
 * list's name and a sibling that carries the paging. Both are asked for,
 * so an envelope around an entity with one array (`{ data: { tags: [...] } }`)
 * stays an envelope of one item.
 */
function nestedPage(
  files: SpecFiles,
  schema: Located,
): { name: string; items: Located; within: string } | undefined {
  const norm = normalizeSchema(files, schema);
  const props = norm.schema.properties;
  if (!isObject(props)) return undefined;
  const found: { name: string; items: Located; within: string }[] = [];
  for (const [within, at] of Object.entries(norm.propertyLocations)) {
    if (!(within in props)) continue;
    const inner = normalizeSchema(files, at);
    if (!isObject(inner.schema.properties)) continue;
    const page = ownPage(files, inner);
    if (!page || !LIST_NAMES.test(page.name)) continue;
    const siblings = Object.keys(inner.schema.properties).filter((name) => name !== page.name);
    if (!siblings.some((name) => pagingName(files, undefined, name, 0))) continue;
    found.push({ ...page, within });
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The page an object schema is itself (see {@link pageItems}). */
function ownPage(files: SpecFiles, norm: NormalizedSchema): { name: string; items: Located } | undefined {
  const props = norm.schema.properties;
  if (!isObject(props)) return undefined;
  const arrays: { name: string; items: Located }[] = [];
  for (const [name, at] of Object.entries(norm.propertyLocations)) {
    if (!(name in props)) continue;
    const prop = normalizeSchema(files, at);
    if (prop.schema.type !== 'array' || prop.schema.items === undefined) continue;
    const items = { node: prop.schema.items, file: prop.loc.file, pointer: child(prop.loc.pointer, 'items') };
    const item = normalizeSchema(files, items);
    if (
      item.schema.type === 'object' ||
      isObject(item.schema.properties) ||
      item.schema.oneOf ||
      item.schema.anyOf
    )
      arrays.push({ name, items });
  }
  if (arrays.length !== 1) return undefined;
  // A list wrapped under its own name (RealWorld's `{ articles: […], articlesCount }`) is a page too.
  const wrapper = bodyWrapper(files, norm.loc);
  if (wrapper?.shape === 'list' && !wrapper.scalarItems && wrapper.key === arrays[0]!.name) return arrays[0];
  // A page says it is one: its array has a list's name, or a sibling carries the paging (`total`,
  // `has_more`, `next`, `meta`…). An entity with one array of objects (a user's `custom_properties`,
  // answered by a singleton `GET /profile`) is not a page of them.
  const found = arrays[0]!;
  const siblings = Object.keys(props).filter((name) => name !== found.name);
  return LIST_NAMES.test(found.name) ||
    siblings.some((name) => pagingName(files, norm.propertyLocations[name], name, 0))
    ? found
    : undefined;
}

/** Names of a page's array of items. */
const LIST_NAMES =
  /^(items|data|results|records|entries|list|values|nodes|edges|elements|rows|hits|objects|content)$/i;

/** Names of what a page carries beside its items (besides those {@link CARRIES} fills). */
const PAGING = new Set([
  'count',
  'offset',
  'next',
  'previous',
  'prev',
  'meta',
  'links',
  'paging',
  'pagination',
  'paginate',
  'pageinfo',
  'object',
]);

/** Whether a property's name alone says it is paging (`total`, `has_more`, `next_page`, `meta`, `links`…). */
export function isPagingName(name: string): boolean {
  const key = name.toLowerCase().replace(/[_-]/g, '');
  return CARRIES[key] !== undefined || PAGING.has(key);
}

/** Whether a property (or, for an object, one of its own, two levels down) is paging. */
function pagingName(files: SpecFiles, at: Located | undefined, name: string, depth: number): boolean {
  if (isPagingName(name)) return true;
  if (!at || depth >= 2) return false;
  const props = normalizeSchema(files, at);
  if (!isObject(props.schema.properties)) return false;
  return Object.keys(props.schema.properties).some((inner) =>
    pagingName(files, props.propertyLocations[inner], inner, depth + 1),
  );
}

/** The value the spec fixes for a property nothing of the page carries: const, example, default, first enum value, the zero of a required one. */
function fixedValue(schema: Record<string, unknown>, required: boolean): { value: unknown } | undefined {
  if (schema.const !== undefined) return { value: schema.const };
  if (schema.example !== undefined) return { value: schema.example };
  if (schema.default !== undefined) return { value: schema.default };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { value: schema.enum[0] };
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return { value: schema.examples[0] };
  if (!required) return undefined;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (Array.isArray(schema.type) && schema.type.includes('null')) return { value: null };
  const zero: Record<string, unknown> = {
    string: '',
    integer: 0,
    number: 0,
    boolean: false,
    array: [],
    object: {},
  };
  return { value: typeof type === 'string' ? (zero[type] ?? null) : null };
}

function pageValues(
  files: SpecFiles,
  schema: Located,
  /** Where the items are: `[items]`, or `[within, items]` for a page nested in an envelope property. */
  itemsPath: readonly string[],
  depth: number,
): PageValue[] {
  const norm = normalizeSchema(files, schema);
  const props = isObject(norm.schema.properties) ? norm.schema.properties : {};
  const required = new Set(Array.isArray(norm.schema.required) ? norm.schema.required.map(String) : []);
  const out: PageValue[] = [];
  for (const [name, at] of Object.entries(norm.propertyLocations)) {
    if (!(name in props)) continue;
    if (name === itemsPath[0] && itemsPath.length === 1) {
      out.push({ name, from: 'items' });
      continue;
    }
    const prop = normalizeSchema(files, at);
    const inner = name === itemsPath[0] ? itemsPath.slice(1) : [];
    if (
      inner.length > 0 ||
      (depth < 3 && isObject(prop.schema.properties) && prop.schema.const === undefined)
    ) {
      out.push({ name, of: pageValues(files, at, inner, depth + 1) });
      continue;
    }
    // By its name, when its type is what that value of the page is (a `page` object is not a number).
    const from = CARRIES[name.toLowerCase().replace(/[_-]/g, '')];
    const type = Array.isArray(prop.schema.type)
      ? prop.schema.type.filter((t) => t !== 'null')
      : [prop.schema.type];
    const fits = (wanted: string[]) => type.some((t) => wanted.includes(String(t)));
    const typed =
      from === 'hasNext' || from === 'hasPrev'
        ? fits(['boolean'])
        : from === 'nextCursor' || from === 'prevCursor'
          ? // A cursor is a token, not a link (`next_page: { format: uri }` is left to its fixed value).
            fits(['string']) && !/^uri/.test(String(prop.schema.format ?? ''))
          : fits(['integer', 'number']);
    if (from && typed && prop.schema.const === undefined && prop.schema.enum === undefined) {
      out.push({ name, from, ...(prop.nullable ? {} : { notNull: true }) });
      continue;
    }
    const fixed = fixedValue(prop.schema, required.has(name));
    if (fixed) out.push({ name, ...fixed });
  }
  return out;
}

/**
 * How a list answer declared as a page object is written: its properties
 * in the spec's order, and the JSON Schema of each (the items' left to the
 * resource's own item schema), for serializing through it.
 */
export function pageShape(files: SpecFiles, schema: Located): PageShape | undefined {
  const found = pageItems(files, schema);
  if (!found) return undefined;
  const norm = normalizeSchema(files, schema);
  const top = besides(files, norm, found.within ?? found.name);
  const within = found.within ? norm.propertyLocations[found.within] : undefined;
  // A wrapped list's integer sibling (`articlesCount`) is its count: the total of the rows listed.
  const count = bodyWrapper(files, schema)?.count;
  const values = pageValues(files, schema, found.within ? [found.within, found.name] : [found.name], 0).map(
    (v): PageValue =>
      count !== undefined && v.name === count ? { name: count, from: 'total', notNull: true } : v,
  );
  if (count !== undefined && !values.some((v) => v.name === count))
    values.push({ name: count, from: 'total', notNull: true });
  return {
    items: found.name,
    values,
    ...top,
    ...(found.within && within
      ? { within: { name: found.within, ...besides(files, normalizeSchema(files, within), found.name) } }
      : {}),
  };
}

/** The JSON Schemas of an object's properties but one (the items' or the page's), and what it requires. */
function besides(
  files: SpecFiles,
  norm: NormalizedSchema,
  left: string,
): { schemas: Record<string, Record<string, unknown>>; required?: string[] } {
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [name, at] of Object.entries(norm.propertyLocations))
    if (name !== left && isObject(norm.schema.properties) && name in norm.schema.properties)
      schemas[name] = toStandaloneSchema(files, at);
  return {
    schemas,
    ...(Array.isArray(norm.schema.required) ? { required: norm.schema.required.map(String) } : {}),
  };
}
