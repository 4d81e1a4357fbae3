import { isPagingName } from './list-page.js';
import { child, isObject, type Located, type SpecFiles } from './openapi-loader.js';
import { type NormalizedSchema, normalizeSchema } from './openapi-schema.js';

/**
 * One rule for "this answer wraps its payload under `data`": tenon's envelope
 * (`{ success, data, meta }`), a page of the spec's own (`{ object: 'list', data, has_more }`,
 * `{ data, links }`), JSON:API's top level (`{ data, included, meta }`). Read by the
 * resource's schema finder, the item and list readers and the success answer (openapi-paths.ts
 * `unwrap`, openapi-answers.ts `itemOf`/`answersList`, openapi-served.ts `specAnswer`) and by
 * `--conventions`' document rewrite (openapi-document.ts), so they never disagree on one schema.
 *
 * An object is such a wrapper when `data` stands with nothing beside it but
 * what wraps or pages a payload. An object that declares a property of its
 * own beside `data` (`id`, `surveyId`, …) is the payload itself: a row with a
 * column named `data` (formbricks' `Response`: `{ id, surveyId, data, meta, … }`,
 * its `data` the answers to a survey) is neither unwrapped nor wrapped again.
 */

/** What stands beside `data` in a wrapper besides paging (`meta`, `links`, `object`, `total`… — see list-page.ts). */
const WRAPPING = new Set(['success', 'ok', 'error', 'errors', 'message', 'included', 'jsonapi']);

/** Whether an object schema's `properties` are a wrapper's: `data`, and beside it only wrapping or paging keys. */
export function wrapsData(properties: unknown): boolean {
  if (!isObject(properties) || properties.data === undefined) return false;
  return Object.keys(properties).every((name) => name === 'data' || WRAPPING.has(name) || isPagingName(name));
}

/** The located schema under `data` when `schema` is a wrapper of it (see above); undefined otherwise. */
export function envelopeData(
  files: SpecFiles,
  schema: Located,
  norm: NormalizedSchema = normalizeSchema(files, schema),
): Located | undefined {
  const props = norm.schema.properties;
  if (!isObject(props) || props.data === undefined || !wrapsData(props)) return undefined;
  return (
    norm.propertyLocations.data ?? {
      node: props.data,
      file: norm.loc.file,
      pointer: child(norm.loc.pointer, 'properties', 'data'),
    }
  );
}
