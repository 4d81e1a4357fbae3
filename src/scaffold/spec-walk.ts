import { child, isObject, type Json, type JsonObject } from './openapi-loader.js';

// Values that are data, not schemas: a keyword-like key inside them (`$ref`, `exclusiveMinimum`) is data.
const DATA_KEYWORDS = new Set(['example', 'examples', 'enum', 'const', 'default', 'value']);

/**
 * Calls `visit` on every object of a loaded spec document that may be (or hold) a schema, parents
 * before children, so a visit may rewrite a node before its members are walked. Extensions
 * (`x-…`) and data values (examples, enums, defaults) are not entered. `parentKey` is the key the
 * node sits under (`properties`, `items`, …; none for array members and the root).
 */
export function walkSpecObjects(
  node: Json,
  visit: (node: JsonObject, pointer: string, parentKey: string | undefined) => void,
  pointer = '',
  parentKey?: string,
): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      walkSpecObjects(item, visit, child(pointer, i));
    });
    return;
  }
  if (!isObject(node)) return;
  visit(node, pointer, parentKey);
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || DATA_KEYWORDS.has(key)) continue;
    walkSpecObjects(value, visit, child(pointer, key), key);
  }
}
