import type { ModelWarning } from './api-model.js';
import type { SpecFiles } from './openapi-loader.js';
import { walkSpecObjects } from './spec-walk.js';

/**
 * Reads a `required` list written beside a `$ref` as OpenAPI 3.1 (JSON Schema 2020-12) does: both
 * apply (lago's `tax: {$ref: TaxBaseInput, required: [name, code, rate]}`). tenon follows a `$ref`
 * to its target, so the list was lost and those properties were optional on create; the schema is
 * rewritten, in every loaded file, to `allOf: [{$ref}]` beside its own keywords — the same schema
 * in 3.1. In 3.0 a `$ref`'s siblings are ignored, as that version says. One note per rewrite.
 */
export function alignRefSiblings(files: SpecFiles, version: '3.0' | '3.1'): ModelWarning[] {
  if (version !== '3.1') return [];
  const warnings: ModelWarning[] = [];
  for (const [file, doc] of files.docs) {
    const found: string[] = [];
    walkSpecObjects(doc, (node, pointer) => {
      // Only a list of property names is a schema's `required`; a parameter's or request body's
      // `required: true` beside a `$ref` is something else (and 3.1 ignores it there).
      if (typeof node.$ref !== 'string' || !Array.isArray(node.required)) return;
      const ref = node.$ref;
      delete node.$ref;
      node.allOf = [{ $ref: ref }, ...(Array.isArray(node.allOf) ? node.allOf : [])];
      found.push(pointer);
    });
    for (const pointer of found)
      warnings.push({
        at: files.where({ file, pointer }),
        code: 'ref-sibling-required',
        message:
          'a required list beside a $ref applies with it (OpenAPI 3.1): read as allOf of the $ref and the list.',
      });
  }
  return warnings;
}
