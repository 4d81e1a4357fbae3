import { type CreatedObjects, createdValue } from './created-objects.js';
import { allowsNull, propertySchema, singular } from './references.js';
import { sampleSchema } from './sample-schema.js';
import type { Node, Spec } from './spec-reader.js';

/**
 * Fills reference-like fields (`bookId`, `owner_id`, `categoryId` →
 * `/categories`) of a body with the id of an object an earlier request
 * created under the matching collection (`/books`), as a client refers to
 * things that exist. A reference nothing created can fill (shop's
 * `parentId` on the first category) is sent as null where its schema allows
 * null — "no parent" — as such a client would, rather than a sampled id
 * that names no row.
 */
function linkReferences(value: unknown, created: CreatedObjects, schema: Node, spec: Spec): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    const match = /^(.+?)(Id|_id)$/.exec(key);
    if (!match || (typeof out[key] !== 'number' && typeof out[key] !== 'string')) continue;
    const stem = match[1]!.toLowerCase();
    let linked = false;
    for (const [collection, objects] of created) {
      const last = collection.split('/').at(-1)?.toLowerCase() ?? '';
      if (!(last.startsWith(stem) || singular(last) === stem) || objects.length === 0) continue;
      const id = createdValue(objects.at(-1), 'id', true);
      if (typeof id === typeof out[key]) {
        out[key] = id;
        linked = true;
      }
      break;
    }
    if (!linked && allowsNull(propertySchema(schema, key, spec), spec)) out[key] = null;
  }
  return out;
}

/**
 * The body to send: the media type's example, else a sample of its schema —
 * `minimal` (required properties only), or with every optional property
 * too (the spec's property examples: petstore's `"id": 10`), as a client
 * that copies the spec's example object sends it.
 */
export function mediaExample(media: Node, spec: Spec, created: CreatedObjects, minimal: boolean): unknown {
  if (media?.example !== undefined) return media.example;
  const examples = media?.examples && typeof media.examples === 'object' ? Object.values(media.examples) : [];
  const first = spec.deref(examples[0]);
  if (first?.value !== undefined) return first.value;
  return media?.schema
    ? linkReferences(sampleSchema(media.schema, spec, minimal), created, media.schema, spec)
    : {};
}
