import type { ModelWarning, ResourceModel } from './api-model.js';
import { pageItems } from './list-page.js';
import { successJsonSchema } from './openapi-answers.js';
import { isObject, type Located, type SpecFiles } from './openapi-loader.js';
import type { PathGroup } from './openapi-paths.js';
import { type NormalizedSchema, normalizeSchema } from './openapi-schema.js';

/** A list operation's JSON success answer: where its schema is, and the schema normalized once for every reader. */
export interface ListAnswer {
  at: Located;
  norm: NormalizedSchema;
}

/** The JSON success answer of the group's list operation, normalized; undefined without one. */
export function listAnswerOf(files: SpecFiles, group: PathGroup): ListAnswer | undefined {
  const op = group.ops.find((o) => o.kind === 'list');
  const at = op ? successJsonSchema(files, op.loc) : undefined;
  return at ? { at, norm: normalizeSchema(files, at) } : undefined;
}

/**
 * A list answer tenon cannot write as the spec declares it: the spec's answer
 * has a `data` that is no array and no page object tenon recognises
 * (`{ data: { results: [...] } }` with nothing of a page beside the items),
 * so the list is served in tenon's envelope (`{ success, data: [...], meta }`)
 * instead. Warned, so the report never claims the spec's answer is served.
 */
export function listAnswerGap(
  files: SpecFiles,
  listAnswer: ListAnswer | undefined,
  resource: ResourceModel,
): ModelWarning | undefined {
  if (!listAnswer || !resource.served?.answers.list?.envelope) return undefined;
  const { at: schema, norm } = listAnswer;
  const data = norm.propertyLocations.data;
  if (!isObject(norm.schema.properties) || !data) return undefined;
  const inner = normalizeSchema(files, data).schema;
  const types = Array.isArray(inner.type) ? inner.type : [inner.type];
  if (types.includes('array') || (inner.type === undefined && !isObject(inner.properties))) return undefined;
  return {
    at: files.where(schema),
    code: 'list-answer-not-served',
    message: `GET ${resource.served!.collection}: the spec's list answer has a data that is not an array, and no page object tenon recognises; the list is answered in tenon's envelope ({ success, data: [...], meta }), not as the spec declares it.`,
    hint: 'Declare data as the array of items, or put the page fields (total, page, per_page…) beside the array inside data.',
  };
}

/**
 * The fewest items the list's answer declares (`minItems` of the array: bare, or a page's items
 * property), when at least one: no list of a table can promise that, since the table may be empty.
 */
export function listMinItems(files: SpecFiles, listAnswer: ListAnswer | undefined): number | undefined {
  if (!listAnswer) return undefined;
  const { norm } = listAnswer;
  let array = norm.schema;
  if (norm.schema.type !== 'array') {
    const page = pageItems(files, listAnswer.at);
    const props = norm.schema.properties;
    if (!page || page.within !== undefined || !isObject(props)) return undefined;
    const at = norm.propertyLocations[page.name];
    if (!at) return undefined;
    array = normalizeSchema(files, at).schema;
  }
  const min = array.minItems;
  return typeof min === 'number' && min >= 1 ? min : undefined;
}
