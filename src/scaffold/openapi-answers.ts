import type { CrudOperations, ResourceModel, ServedAnswer } from './api-model.js';
import { envelopeData } from './envelope-data.js';
import { pageItems } from './list-page.js';
import { admitsAnyValue, type PropertyInfo } from './openapi-fields.js';
import { child, isObject, type Located, type SpecFiles } from './openapi-loader.js';
import { isXml } from './openapi-media.js';
import { type NormalizedSchema, normalizeSchema } from './openapi-schema.js';

/** The zero of a JSON Schema type: what a required property nothing else fixes is answered with. */
function zeroOf(type: unknown): unknown {
  const t = Array.isArray(type) ? type.find((x) => x !== 'null') : type;
  return t === 'string'
    ? ''
    : t === 'integer' || t === 'number'
      ? 0
      : t === 'boolean'
        ? false
        : t === 'array'
          ? []
          : t === 'object'
            ? {}
            : null;
}

/** The properties of a DELETE answer's object schema (see {@link ServedAnswer.removed}). */
export function removedShape(files: SpecFiles, schema: Located): ServedAnswer['removed'] {
  const norm = normalizeSchema(files, schema);
  const properties = norm.schema.properties;
  if (!isObject(properties)) return undefined;
  const required = new Set(Array.isArray(norm.schema.required) ? norm.schema.required : []);
  return Object.keys(properties).map((name) => {
    const prop = normalizeSchema(
      files,
      norm.propertyLocations[name] ?? {
        node: properties[name]!,
        file: schema.file,
        pointer: child(schema.pointer, 'properties', name),
      },
    ).schema;
    const fixed =
      prop.const !== undefined
        ? prop.const
        : prop.example !== undefined
          ? prop.example
          : prop.default !== undefined
            ? prop.default
            : Array.isArray(prop.enum) && prop.enum.length > 0
              ? prop.enum[0]
              : Array.isArray(prop.examples) && prop.examples.length > 0
                ? prop.examples[0]
                : // A boolean the spec fixes nothing for says the removal happened (listmonk's `{ data: true }`).
                  prop.type === 'boolean' || (Array.isArray(prop.type) && prop.type.includes('boolean'))
                  ? true
                  : required.has(name)
                    ? zeroOf(prop.type)
                    : undefined;
    return { name, required: required.has(name), ...(fixed === undefined ? {} : { value: fixed }) };
  });
}

/**
 * The located JSON schema of an operation's first success answer (in status
 * order) whose statuses match `statuses` (`2xx` codes by default), if it
 * declares one (with `xmlToo`, its XML schema when it declares no JSON), and
 * the media type it is declared under (`application/json`, `…+json`).
 */
export function successJsonSchema(
  files: SpecFiles,
  op: Located,
  statuses = /^2\d\d$/,
  xmlToo = false,
): (Located & { media: string }) | undefined {
  const node = op.node;
  const responses = isObject(node) && isObject(node.responses) ? node.responses : {};
  const key = Object.keys(responses)
    .filter((s) => statuses.test(s))
    .sort()[0];
  if (!key) return undefined;
  const response = files.deref({
    node: responses[key]!,
    file: op.file,
    pointer: child(op.pointer, 'responses', key),
  });
  const content = isObject(response.node) && isObject(response.node.content) ? response.node.content : {};
  // With `xmlToo`, an answer the spec declares only in XML gives its XML schema (the same object).
  const json =
    Object.keys(content).find((t) => t === 'application/json' || /\+json$/.test(t)) ??
    (xmlToo ? Object.keys(content).find((t) => isXml(t)) : undefined);
  const media = json ? content[json] : undefined;
  if (!isObject(media) || media.schema === undefined) return undefined;
  return {
    node: media.schema,
    file: response.file,
    pointer: child(response.pointer, 'content', json!, 'schema'),
    media: json!,
  };
}

/**
 * Whether a list operation's answer is a list: an array, an envelope whose `data` is one, or a
 * page object; an answer whose schema says nothing of its type is taken as one.
 */
export function answersList(
  files: SpecFiles,
  schema: Located,
  norm: NormalizedSchema = normalizeSchema(files, schema),
): boolean {
  const type = Array.isArray(norm.schema.type)
    ? norm.schema.type.filter((t) => t !== 'null')
    : [norm.schema.type];
  if (type.includes('array')) return true;
  const props = norm.schema.properties;
  const data = envelopeData(files, schema, norm);
  if (data) return answersList(files, data);
  if (pageItems(files, schema)) return true;
  return norm.schema.type === undefined && !isObject(props);
}

/** The schema of one item in an answer: the items of an array, of an envelope's `data`, of a list's page object, or the answer itself. */
export function itemOf(files: SpecFiles, schema: Located, list = false): Located {
  const norm = normalizeSchema(files, schema);
  const data = envelopeData(files, schema, norm);
  if (data) return itemOf(files, data, list);
  const page = list ? pageItems(files, schema) : undefined;
  if (page) return page.items;
  if (norm.schema.type === 'array' && norm.schema.items !== undefined)
    return { node: norm.schema.items, file: norm.loc.file, pointer: child(norm.loc.pointer, 'items') };
  return schema;
}

const ANSWERING: (keyof CrudOperations)[] = ['list', 'create', 'read', 'update', 'patch'];

/**
 * Marks the nullable fields of a resource that some CRUD answer declares
 * non-nullable (resend's `audience_id`: `[string, "null"]` in a broadcast,
 * `string` in the list's items): answers leave them out when null, as for
 * optional non-nullable fields, so every answer keeps to its own schema.
 */
export function markAnsweredNonNullable(
  files: SpecFiles,
  group: { ops: { kind: keyof CrudOperations; loc: Located }[] },
  resource: ResourceModel,
): void {
  const nullable = new Map(resource.fields.filter((f) => f.nullable && !f.writeOnly).map((f) => [f.name, f]));
  if (nullable.size === 0) return;
  for (const op of group.ops) {
    if (!ANSWERING.includes(op.kind)) continue;
    const schema = successJsonSchema(files, op.loc);
    if (!schema) continue;
    const item = normalizeSchema(files, itemOf(files, schema, op.kind === 'list'));
    if (!isObject(item.schema.properties)) continue;
    for (const [name, at] of Object.entries(item.propertyLocations)) {
      const field = nullable.get(name);
      if (!field) continue;
      const own = normalizeSchema(files, at);
      if (!own.nullable && !admitsAnyValue(own.schema)) field.answeredNonNullable = true;
    }
  }
}

/** The properties one item of a list answer declares, in the spec's order: a CSV answer's columns. */
export function itemColumns(files: SpecFiles, schema: Located): string[] {
  const item = normalizeSchema(files, itemOf(files, schema, true));
  return isObject(item.schema.properties) ? Object.keys(item.schema.properties) : [];
}

/**
 * Spec serving: the timestamps the resource's schema does not declare
 * (`createdAt`, `updatedAt`) are tenon's bookkeeping — kept in the table,
 * left out of the answers (see {@link ResourceModel.unanswered}).
 */
export function markUnanswered(resource: ResourceModel, props: readonly PropertyInfo[]): void {
  const unanswered = (['createdAt', 'updatedAt'] as const)
    .filter((system) => !props.some((p) => p.system === system))
    .map((system) => (system === 'createdAt' ? resource.createdAtName : resource.updatedAtName));
  if (unanswered.length > 0) resource.unanswered = unanswered;
}
