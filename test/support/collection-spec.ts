import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadSpec, type Spec } from '../../scripts/conformance/spec-reader.js';

/** The one collection of {@link collectionSpec}. */
export interface CollectionShape {
  /** The collection's path, e.g. `/things`. */
  collection: string;
  /** The item's path key, e.g. `thingName` (`/things/{thingName}`). */
  key: string;
  /** The create's JSON body schema. */
  body: object;
  /** The schema of the create's 201 and the item read's 200 (default: `body`). */
  answer?: object;
}

/**
 * Writes `dir/file`, an OpenAPI 3.0 spec of one collection — a create that
 * takes `body` and answers `answer` (201), and its item read (200) and delete
 * (204) by `{key}` — and loads it as the conformance oracle reads specs.
 */
export function collectionSpec(dir: string, file: string, shape: CollectionShape): Spec {
  const { collection, key, body, answer = body } = shape;
  const content = (schema: object) => ({ 'application/json': { schema } });
  const keyParam = { name: key, in: 'path', required: true, schema: { type: 'string' } };
  writeFileSync(
    join(dir, file),
    stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        [collection]: {
          post: {
            requestBody: { content: content(body) },
            responses: { '201': { description: 'made', content: content(answer) } },
          },
        },
        [`${collection}/{${key}}`]: {
          parameters: [keyParam],
          get: { responses: { '200': { description: 'ok', content: content(answer) } } },
          delete: { responses: { '204': { description: 'gone' } } },
        },
      },
    }),
  );
  return loadSpec(join(dir, file));
}
