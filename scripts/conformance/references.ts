import type { Node, Spec } from './spec-reader.js';

/** A collection's name for one of its items: `categories` → `category`, `boxes` → `box`, `pets` → `pet`. */
export function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(name)) return name.slice(0, -2);
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

/** The schema of one property of an object schema, looked up through `$ref`s and `allOf`/`anyOf`/`oneOf` parts. */
export function propertySchema(schema: Node, key: string, spec: Spec, depth = 0): Node {
  const node = spec.deref(schema);
  if (!node || typeof node !== 'object' || depth > 8) return undefined;
  if (node.properties?.[key] !== undefined) return spec.deref(node.properties[key]);
  for (const part of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    const found = propertySchema(part, key, spec, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether a schema accepts null (3.1 type arrays or `type: null`, 3.0 `nullable`, a null alternative). */
export function allowsNull(schema: Node, spec: Spec, depth = 0): boolean {
  const node = spec.deref(schema);
  if (!node || typeof node !== 'object' || depth > 8) return false;
  if (node.nullable === true || node.type === 'null' || node.const === null) return true;
  if (Array.isArray(node.type) && node.type.includes('null')) return true;
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].some((p: Node) => allowsNull(p, spec, depth + 1));
}
