import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { ModelWarning } from './api-model.js';
import { child, isObject, type JsonObject, type SpecFiles } from './openapi-loader.js';

/**
 * The formats the generated project's validation checks: ajv-formats' full set (which includes
 * OpenAPI's `int32`, `int64`, `float`, `double`, `byte`, `binary` and `password`), read from the
 * package the generated project registers, not a list of our own.
 */
const CHECKED: ReadonlySet<string> = new Set(Object.keys(fullFormats));

/** Keys whose values are data, not schemas: a `format` inside them names no format. */
const VALUES = new Set(['enum', 'const', 'default', 'example', 'examples']);
/** Keys whose values map names to schemas (or to objects holding them). */
const NAMED = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'schemas',
  'paths',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'content',
]);

/**
 * One warning (`format-not-checked`) per `format` of the spec that the generated validation does
 * not know (a spec's own, such as train-travel's `iso-country-code`), at its first place: such a
 * format is an annotation, as OpenAPI and JSON Schema say, and any string passes it. `x-`
 * extensions belong to other tools and are not read.
 */
export function uncheckedFormats(files: SpecFiles, root: JsonObject): ModelWarning[] {
  const first = new Map<string, string>();
  // `names`: the keys of `node` are names (of properties, schemas), not keywords.
  const walk = (node: unknown, pointer: string, names = false): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${pointer}/${i}`);
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (!names && (key.startsWith('x-') || VALUES.has(key))) continue;
      if (!names && key === 'format' && typeof value === 'string') {
        if (!CHECKED.has(value) && !first.has(value)) first.set(value, child(pointer, key));
      } else walk(value, child(pointer, key), !names && NAMED.has(key));
    }
  };
  walk(root, '');
  return [...first].map(([format, pointer]) => ({
    at: files.where({ file: files.rootFile, pointer }),
    code: 'format-not-checked',
    message: `the format "${format}" is not one the generated validation knows: it is an annotation, and any string passes it.`,
    hint: 'Add a pattern, an enum or a maxLength beside it to have values checked.',
  }));
}
