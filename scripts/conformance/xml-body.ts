import { XMLBuilder } from 'fast-xml-parser';
import type { Node, Spec } from './spec-reader.js';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** The element name the spec gives a schema (`xml.name`), else `fallback`. */
function nameOf(schema: Node, fallback: string): string {
  const name = schema?.xml?.name;
  return typeof name === 'string' && /^[A-Za-z_][\w.-]*$/.test(name) ? name : fallback;
}

/**
 * A schema with its `allOf` parts (followed through `$ref`s) merged: their properties side by side,
 * and the `xml` object of the first part that has one when the schema has none of its own. Galaxy's
 * `User` is `allOf: [{ xml: { name: user }, properties: {…} }, { $ref: Credentials }]`: its element
 * is `user`, and a property's `xml` object may sit in any part.
 */
function merged(raw: Node, spec: Spec, depth = 0): Node {
  const schema = spec.deref(raw) ?? {};
  if (!Array.isArray(schema.allOf) || depth > 16) return schema;
  const parts: Node[] = schema.allOf.map((part: Node) => merged(part, spec, depth + 1));
  const properties: Record<string, Node> = {};
  for (const part of [...parts, schema]) Object.assign(properties, part?.properties ?? {});
  const xml = schema.xml ?? parts.find((part) => part?.xml)?.xml;
  const { allOf: _parts, ...rest } = schema;
  return { ...rest, properties, ...(xml ? { xml } : {}) };
}

/** A value as fast-xml-parser's builder takes it, by the spec's `xml` objects (names, attributes, wrapped arrays). */
function shape(value: unknown, raw: Node, spec: Spec, depth: number): unknown {
  const schema = merged(raw, spec);
  if (depth > 16 || value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => shape(v, schema.items, spec, depth + 1));
  const out: Record<string, unknown> = {};
  const properties: Record<string, Node> = schema.properties ?? {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    const prop = merged(properties[key], spec);
    const name = nameOf(prop, key);
    if (prop.xml?.attribute === true) out[`@_${name}`] = v;
    else if (Array.isArray(v)) {
      const items = merged(prop.items, spec);
      const list = v.map((item) => shape(item, items, spec, depth + 1));
      const itemName = nameOf(items, name);
      if (prop.xml?.wrapped === true) out[name] = { [itemName]: list };
      else out[itemName] = list;
    } else out[name] = shape(v, prop, spec, depth + 1);
  }
  return out;
}

/**
 * A request body in XML, written from the spec alone (not from tenon's
 * model): the root element named by the schema's `xml.name` (else its
 * component's name), properties as elements or attributes, arrays wrapped
 * or repeated as the spec's `xml` objects say — those of an `allOf`'s parts too.
 */
export function xmlBody(value: unknown, schema: Node, spec: Spec): string {
  const ref: unknown = schema?.$ref;
  const component = typeof ref === 'string' ? (ref.split('/').at(-1) ?? 'root') : 'root';
  const root = nameOf(merged(schema, spec), component);
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [root]: shape(value, schema, spec, 0) })}`;
}
