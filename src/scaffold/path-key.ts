import type { FieldModel, ResourceModel } from './api-model.js';
import { singularize, words } from './naming.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { requestBodySchema } from './openapi-media.js';
import { operationParameters } from './openapi-operations.js';
import { normalizeSchema } from './openapi-schema.js';

/**
 * The property an item path's key names: the one of its name, else the one
 * left when the key's leading resource words are dropped (`{aliasName}` of
 * `Alias.name`, `{collection_name}` on `/collections`). `'id'` when that is
 * the id (`{webhook_id}`); undefined when the key names no property.
 */
export function keyProperty(
  resource: ResourceModel,
  key: string,
  segment: string,
): FieldModel | 'id' | undefined {
  const exact = resource.fields.find((f) => f.name === key);
  if (exact) return exact;
  const keyWords = words(key);
  for (const prefix of [words(resource.name), words(singularize(segment))]) {
    if (prefix.length >= keyWords.length || prefix.some((w, i) => keyWords[i] !== w)) continue;
    const rest = keyWords.slice(prefix.length).join('_');
    if (rest === 'id') return 'id';
    const field = resource.fields.find((f) => words(f.name).join('_') === rest);
    if (field) return field;
  }
  return undefined;
}

/** The schema of the path parameter `key` of an item path: its operations' own, else the path item's. */
export function pathKeySchema(
  files: SpecFiles,
  item: Located<JsonObject> | undefined,
  ops: readonly { loc: Located<JsonObject> }[],
  key: string,
): Record<string, unknown> | undefined {
  const lists = [
    ...ops.map((op) => ({
      node: op.loc.node.parameters,
      file: op.loc.file,
      pointer: child(op.loc.pointer, 'parameters'),
    })),
    ...(item
      ? [{ node: item.node.parameters, file: item.file, pointer: child(item.pointer, 'parameters') }]
      : []),
  ];
  for (const list of lists) {
    const found = operationParameters(files, list.node, list.file, list.pointer).find(
      (p) => p.in === 'path' && p.name === key,
    );
    if (found && isObject(found.schema)) return found.schema;
  }
  return undefined;
}

/** Kinds of a path key property that item operations can find rows by (`/user/{username}`). */
export const LOOKUP_KINDS: ReadonlySet<string> = new Set(['string', 'text', 'email', 'uri', 'uuid']);

/** The length a text key takes when its spec sets none: a text id's (json-schemas.ts), within a B-tree entry and a URL. */
export const KEY_MAX_LENGTH = 255;

/**
 * Bounds a string lookup key whose schema sets no `maxLength` at {@link KEY_MAX_LENGTH}; true when
 * it did. The key lives in a unique index, whose entries past ~2.7 kB PostgreSQL cannot store (a
 * 500), and in every item URL and `Location`, where Node refuses request heads over 16 kB and
 * proxies refuse long response headers: a longer key would make a row no request can reach.
 */
export function boundKeyLength(field: FieldModel): boolean {
  if ((field.kind !== 'string' && field.kind !== 'text') || field.maxLength !== undefined) return false;
  field.maxLength = KEY_MAX_LENGTH;
  return true;
}

/**
 * The report's note on a resource whose rows are found by `field` (the path's `{key}`), bounding
 * the key's length on the way ({@link boundKeyLength}): the 409 it speaks of only where a create
 * or a change can write the key (a read-only resource has none to answer).
 */
export function lookupKeyNote(
  resource: ResourceModel,
  field: FieldModel,
  key: string,
  carried: boolean,
): string {
  const as =
    field.name === key
      ? ''
      : carried
        ? ` (the path's {${key}}, which names no property: ${field.name} is the one its answers carry and no PUT or PATCH body declares)`
        : ` (the path's {${key}})`;
  const { create, update, patch } = resource.operations;
  const conflict =
    create || update || patch
      ? `, and a ${[create && 'create', (update || patch) && 'change'].filter(Boolean).join(' or ')} with a ${field.name} another row holds answers 409 (tenon's choice where the spec declares no 409)`
      : '';
  const bounded = boundKeyLength(field)
    ? ` It sets no maxLength: it takes at most ${KEY_MAX_LENGTH} characters, as a text id (an index entry and a URL have limits).`
    : '';
  return `${resource.served!.item}: rows are found by ${resource.name}.${field.name}${as} (a unique column), the key the spec gives them; a row whose ${field.name} is null cannot be reached there${conflict}.${bounded}`;
}

/** The property names of an operation's JSON request body (allOf merged), or undefined without one. */
function bodyProperties(files: SpecFiles, op: Located<JsonObject>): Set<string> | undefined {
  const schema = requestBodySchema(files, op);
  if (!schema) return undefined;
  const props = normalizeSchema(files, schema).schema.properties;
  return new Set(isObject(props) ? Object.keys(props) : []);
}

/**
 * The property a string path key fills when it names none (`{presetId}` of a `Preset` whose
 * answers carry `name` and whose PUT body `{ value }` leaves it out): the one property of a
 * lookup kind that the resource's answers declare and none of its PUT and PATCH bodies does —
 * the path is the only place it can come from. Undefined when no item write declares a body,
 * or when not exactly one property is left.
 */
export function carriedKey(
  files: SpecFiles,
  resource: ResourceModel,
  ops: readonly { kind: string; loc: Located<JsonObject> }[],
): FieldModel | undefined {
  const bodies = ops
    .filter((op) => op.kind === 'update' || op.kind === 'patch')
    .map((op) => bodyProperties(files, op.loc))
    .filter((b): b is Set<string> => b !== undefined);
  if (bodies.length === 0) return undefined;
  const left = resource.fields.filter(
    (f) => LOOKUP_KINDS.has(f.kind) && !f.writeOnly && !f.secret && bodies.every((b) => !b.has(f.name)),
  );
  return left.length === 1 ? left[0] : undefined;
}
