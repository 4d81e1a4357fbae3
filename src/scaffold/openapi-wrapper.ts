import { child, isObject, type Located, type SpecFiles } from './openapi-loader.js';
import { normalizeSchema } from './openapi-schema.js';

/**
 * Single-key wrapper bodies (RealWorld's `{ "article": {…} }`, `{ "user": {…} }`, and list
 * answers `{ "articles": […], "articlesCount": n }`): many real specs put the resource one
 * level down, under a key named after it. The resource's columns are the inner schema's;
 * the body's own shape is the wrapper.
 */

/** A body whose schema wraps the resource under one key. */
export interface BodyWrapper {
  /** The property the resource (or the list of them) is under: `article`, `articles`. */
  key: string;
  /** `one`: the key holds one object; `list`: an array of objects. */
  shape: 'one' | 'list';
  /** The schema of the object under the key (a list's items). */
  inner: Located;
  /** A list wrapper's integer sibling, required or not (`articlesCount`), when it declares one. */
  count?: string;
  /**
   * A list wrapper whose items are not objects (`{ "tags": [string] }`): no table can hold
   * them as rows.
   */
  scalarItems?: boolean;
}

function isObjectSchema(files: SpecFiles, loc: Located): boolean {
  const norm = normalizeSchema(files, loc);
  if (norm.schema.oneOf !== undefined || norm.schema.anyOf !== undefined) return false;
  return (
    isObject(norm.schema.properties) && (norm.schema.type === undefined || norm.schema.type === 'object')
  );
}

function isIntegerSchema(files: SpecFiles, loc: Located): boolean {
  const type = normalizeSchema(files, loc).schema.type;
  return type === 'integer' || type === 'number';
}

/**
 * Whether a body schema wraps the resource under one key: an object whose
 * only property — or only required one, its siblings being a list's integer
 * count — is an object schema (`one`) or an array (`list`; then another
 * integer property is its count). tenon's envelope (`data`) is not a wrapper:
 * it is served as the envelope.
 */
export function bodyWrapper(files: SpecFiles, schema: Located): BodyWrapper | undefined {
  const norm = normalizeSchema(files, schema);
  const props = norm.schema.properties;
  if (!isObject(props) || (norm.schema.type !== undefined && norm.schema.type !== 'object')) return undefined;
  if (norm.schema.oneOf !== undefined || norm.schema.anyOf !== undefined) return undefined;
  const names = Object.keys(props);
  if (names.length === 0 || names.length > 2 || names.includes('data')) return undefined;
  const required = Array.isArray(norm.schema.required) ? norm.schema.required.map(String) : [];
  const at = (name: string): Located =>
    norm.propertyLocations[name] ?? {
      node: props[name]!,
      file: norm.loc.file,
      pointer: child(norm.loc.pointer, 'properties', name),
    };
  const arrays = names.filter((n) => normalizeSchema(files, at(n)).schema.type === 'array');
  if (names.length === 2) {
    // `{ articles: [...], articlesCount: n }`: an array and its integer count, the array required.
    if (arrays.length !== 1 || !required.includes(arrays[0]!)) return undefined;
    const count = names.find((n) => n !== arrays[0])!;
    if (!isIntegerSchema(files, at(count))) return undefined;
    return listWrapper(files, arrays[0]!, at(arrays[0]!), count);
  }
  const key = names[0]!;
  if (arrays.length === 1) return listWrapper(files, key, at(key));
  if (!isObjectSchema(files, at(key))) return undefined;
  return { key, shape: 'one', inner: { ...at(key), ...refOf(files, at(key)) } };
}

function refOf(files: SpecFiles, loc: Located): { refName?: string } {
  const name = normalizeSchema(files, loc).refName;
  return name ? { refName: name } : {};
}

function listWrapper(files: SpecFiles, key: string, array: Located, count?: string): BodyWrapper {
  const norm = normalizeSchema(files, array);
  const items: Located = {
    node: norm.schema.items ?? {},
    file: norm.loc.file,
    pointer: child(norm.loc.pointer, 'items'),
  };
  const objects = norm.schema.items !== undefined && isObjectSchema(files, items);
  return {
    key,
    shape: 'list',
    inner: { ...items, ...(objects ? refOf(files, items) : {}) },
    ...(count ? { count } : {}),
    ...(objects ? {} : { scalarItems: true }),
  };
}
