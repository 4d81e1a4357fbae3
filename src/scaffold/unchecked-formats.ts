import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { ModelWarning } from './api-model.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';

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

/** A `$ref` to follow: the node it points at, or undefined where nothing is followed. */
type Follow = (ref: Located) => Located | undefined;

/**
 * The first place of each format of `located` (and of what its `$ref`s reach, through `follow`)
 * that the generated validation does not know. `x-` extensions belong to other tools and are not read.
 */
function firstUnchecked(located: Located, follow: Follow): Map<string, Located> {
  const first = new Map<string, Located>();
  const followed = new Set<string>();
  // `names`: the keys of `node` are names (of properties, schemas), not keywords.
  const walk = (node: unknown, file: string, pointer: string, names = false): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, file, `${pointer}/${i}`);
      return;
    }
    if (!isObject(node)) return;
    if (!names && typeof node.$ref === 'string') {
      // A parameter, body or schema in another file (or elsewhere in this one) is checked where it is, once.
      const target = follow({ node, file, pointer });
      const key = target && `${target.file}#${target.pointer}`;
      if (target && key && !followed.has(key)) {
        followed.add(key);
        walk(target.node, target.file, target.pointer);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (!names && (key.startsWith('x-') || VALUES.has(key))) continue;
      if (!names && key === 'format' && typeof value === 'string') {
        if (!CHECKED.has(value) && !first.has(value))
          first.set(value, { node: value, file, pointer: child(pointer, key) });
      } else walk(value, file, child(pointer, key), !names && NAMED.has(key));
    }
  };
  walk(located.node, located.file, located.pointer);
  return first;
}

/**
 * The formats of a (bundled) document the generated validation does not know, sorted: the
 * generated project registers them as annotations up front, so its start-up walks no schema.
 */
export function uncheckedFormatNames(document: unknown): string[] {
  return [
    ...firstUnchecked({ node: document as JsonObject, file: '', pointer: '' }, () => undefined).keys(),
  ].sort();
}

/**
 * One warning (`format-not-checked`) per `format` of the spec that the generated validation does
 * not know (a spec's own, such as train-travel's `iso-country-code`), at its first place: such a
 * format is an annotation, as OpenAPI and JSON Schema say, and any string passes it. Formats of
 * the schemas, parameters and bodies other files hold (through `$ref`) count as the root's do.
 */
export function uncheckedFormats(files: SpecFiles, root: JsonObject): ModelWarning[] {
  // The root document is walked whole: only what other files hold is followed. A reference that
  // points at nothing is reported by the document check, not here.
  const follow: Follow = (ref) => {
    try {
      const target = files.deref(ref);
      return target.file === files.rootFile ? undefined : target;
    } catch {
      return undefined;
    }
  };
  const first = firstUnchecked({ node: root, file: files.rootFile, pointer: '' }, follow);
  return [...first].map(([format, at]) => ({
    at: files.where(at),
    code: 'format-not-checked',
    message: `the format "${format}" is not one the generated validation knows: it is an annotation, and any string passes it.`,
    hint: 'Add a pattern, an enum or a maxLength beside it to have values checked.',
  }));
}
