import type { ModelWarning } from './api-model.js';
import { child, type Json, type JsonObject, type SpecFiles } from './openapi-loader.js';
import { walkSpecObjects } from './spec-walk.js';

/**
 * Writes one schema's exclusive bounds in the dialect of `version`: OpenAPI
 * 3.0 (JSON Schema draft 4) spells them `minimum: 0, exclusiveMinimum: true`,
 * 3.1 (JSON Schema 2020-12) `exclusiveMinimum: 0`. Specs mix them up often;
 * left as written, the other dialect's form is a schema the generated app's
 * validator cannot compile, so the app would refuse to start.
 */
function alignSchema(schema: JsonObject, version: '3.0' | '3.1'): string[] {
  const changed: string[] = [];
  for (const [key, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const value = schema[key];
    if (version === '3.1' && typeof value === 'boolean') {
      if (value && typeof schema[bound] === 'number') {
        schema[key] = schema[bound];
        delete schema[bound];
      } else delete schema[key];
      changed.push(key);
    } else if (version === '3.0' && typeof value === 'number') {
      // draft 4 has no numeric form; a stricter `minimum` next to it keeps winning.
      const other = schema[bound];
      const tighter = typeof other === 'number' && (bound === 'minimum' ? other > value : other < value);
      if (tighter) delete schema[key];
      else {
        schema[bound] = value;
        schema[key] = true;
      }
      changed.push(key);
    }
  }
  return changed;
}

// Keys whose value is a map of names to schemas: a member named `const` there is a name, not a keyword.
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'schemas',
  'definitions',
  '$defs',
  'dependentSchemas',
]);

/**
 * OpenAPI 3.0 (draft 4) has no `const`; generated 3.0 specs (fern, zod-to-openapi) write it anyway.
 * The one-value `enum` means the same in both dialects, so it is read as that instead of refusing the spec.
 */
function constAsEnum(schema: JsonObject, parentKey: string | undefined): boolean {
  if (parentKey !== undefined && NAME_MAPS.has(parentKey)) return false;
  if (!('const' in schema) || 'enum' in schema) return false;
  schema.enum = [schema.const as Json];
  delete schema.const;
  return true;
}

/**
 * Rewrites, in every loaded file of the spec, exclusive bounds written in the
 * other JSON Schema dialect (3.0's boolean form in a 3.1 spec, 3.1's numeric
 * form in a 3.0 spec) into the spec's own, and a 3.0 spec's `const` into a
 * one-value `enum`, at generation time. Returns one warning per rewritten
 * keyword, so the report says what was changed.
 */
export function alignExclusiveBounds(files: SpecFiles, version: '3.0' | '3.1'): ModelWarning[] {
  const warnings: ModelWarning[] = [];
  for (const [file, doc] of files.docs) {
    const found = { bounds: [] as string[], consts: [] as string[] };
    walkSpecObjects(doc, (node, pointer, parentKey) => {
      for (const key of alignSchema(node, version)) found.bounds.push(child(pointer, key));
      if (version === '3.0' && constAsEnum(node, parentKey)) found.consts.push(child(pointer, 'const'));
    });
    for (const pointer of found.consts)
      warnings.push({
        at: files.where({ file, pointer }),
        code: 'const-converted',
        message: 'const is not a keyword of OpenAPI 3.0; read as a one-value enum.',
        hint: 'In 3.0 write enum: [<value>]; const is valid from OpenAPI 3.1.',
      });
    for (const pointer of found.bounds)
      warnings.push({
        at: files.where({ file, pointer }),
        code: 'exclusive-bound-converted',
        message: `written in the ${version === '3.1' ? 'OpenAPI 3.0 (boolean)' : 'OpenAPI 3.1 (numeric)'} form; converted to the OpenAPI ${version} form.`,
        hint:
          version === '3.1'
            ? 'In 3.1 write exclusiveMinimum: <number> instead of minimum + exclusiveMinimum: true.'
            : 'In 3.0 write minimum: <number> with exclusiveMinimum: true.',
      });
  }
  return warnings;
}
