import type { XmlShape } from './api-model.js';
import { isObject, type Located, type SpecFiles } from './openapi-loader.js';
import { normalizeSchema } from './openapi-schema.js';

/** An XML element or attribute name (no namespace prefix handling: the spec's names are used as written). */
const XML_NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/;

/** Past this depth a (recursive) schema is treated as free-form: its elements become text or nested objects as they come. */
const MAX_DEPTH = 12;

/** The primitive or structural type a schema declares (`['integer', 'null']` → `integer`). */
function typeOf(schema: Record<string, unknown>): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/**
 * How a value of a schema is written in XML, from the OpenAPI `xml` object
 * of the schema and of each property (`name`, `attribute`, `wrapped`): the
 * element names that differ from the property names, which properties are
 * attributes, which arrays are wrapped in an element of their own, and the
 * types text is read as. `$ref`s are followed and `allOf` merged; a property
 * reached through a `$ref` takes the referenced schema's `xml.name`.
 *
 * @param rootName the element name when the schema names none (the component's name).
 */
export function xmlShape(files: SpecFiles, loc: Located, rootName?: string, depth = 0): XmlShape {
  const norm = normalizeSchema(files, loc);
  const schema = norm.schema;
  const shape: XmlShape = {};
  const type = typeOf(schema);
  if (type) shape.type = type;
  const xml = isObject(schema.xml) ? schema.xml : {};
  const name = typeof xml.name === 'string' && XML_NAME.test(xml.name) ? xml.name : rootName;
  if (name !== undefined && XML_NAME.test(name)) shape.name = name;
  if (xml.attribute === true) shape.attribute = true;
  if (xml.wrapped === true) shape.wrapped = true;
  if (depth >= MAX_DEPTH) return shape;
  if (type === 'object' && isObject(schema.properties)) {
    shape.properties = {};
    for (const [prop, at] of Object.entries(norm.propertyLocations)) {
      const inner = xmlShape(files, at, undefined, depth + 1);
      // The property's own name unless its schema (or the one it refers to) names the element.
      if (inner.name === prop) delete inner.name;
      shape.properties[prop] = inner;
    }
  } else if (type === 'array' && schema.items !== undefined && !Array.isArray(schema.items)) {
    shape.items = xmlShape(
      files,
      { node: schema.items, file: norm.loc.file, pointer: `${norm.loc.pointer}/items` },
      undefined,
      depth + 1,
    );
  }
  return shape;
}

/** The component name of a `$ref` (`#/components/schemas/Pet` → `Pet`), the default name of a root element. */
export function refName(node: unknown): string | undefined {
  if (!isObject(node) || typeof node.$ref !== 'string') return undefined;
  return node.$ref.split('/').at(-1);
}
