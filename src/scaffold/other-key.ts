import type { ModelWarning, ResourceModel } from './api-model.js';
import type { PropertyInfo } from './openapi-fields.js';
import type { SpecFiles } from './openapi-loader.js';
import type { CustomSource, PathGroup } from './openapi-paths.js';
import { carriedKey, keyProperty, LOOKUP_KINDS, lookupKeyNote, pathKeySchema } from './path-key.js';

/**
 * An item path keyed by a property that cannot be the id (`/user/{username}`, a string beside
 * an integer id): its operations look rows up by that property, a unique column — within the
 * caller's scope for owned resources (another user's row is a 404, as by id). The path names a
 * row for every caller (admin included), so the column is unique across owners. Keys of other
 * kinds get handlers of their own rather than being rebound to the id.
 */
export function byOtherKey(
  files: SpecFiles,
  warnings: ModelWarning[],
  custom: CustomSource[],
  resource: ResourceModel,
  group: PathGroup,
  props: PropertyInfo[],
): void {
  const key = resource.served?.key;
  if (!key || key === 'id' || resource.idName === key) return;
  let named = keyProperty(resource, key, group.segment);
  const items = group.ops.filter((op) => ['read', 'update', 'patch', 'delete'].includes(op.kind));
  const schema = pathKeySchema(files, group.item, items, key);
  // `{presetId}` reads as the id, but a spec that declares no id has none to give: the table's
  // key is tenon's own integer, and a string key names something else (below).
  if (named === 'id' && schema?.type === 'string' && resource.idKind === 'bigint')
    if (!props.some((p) => p.system === 'id')) named = undefined;
  if (named === 'id') return;
  let carried = false;
  if (!named) {
    // A key that names no property is the id only when its type is the id's: a string key of
    // an integer id (`{slug}`) is never rebound to it.
    const type = schema?.type;
    // (A string key of a uuid id stays the id: resend's `{identifier}` takes any text, and text that
    // is not a uuid names no row.)
    if (resource.idKind !== 'bigint' || type === 'integer' || type === 'number' || schema === undefined)
      return;
    // The answers may carry it under a name of their own (Typesense's `{presetId}`, answered as
    // `Preset.name`): the one property no PUT or PATCH body declares is the one the path fills.
    named = carriedKey(files, resource, group.ops);
    carried = named !== undefined;
    // Nothing carries it, and the spec declares no id: the key is the row's id, text the client
    // names in the path (`PUT /settings/{settingKey}`), answered as `id` beside the spec's
    // properties (the table's key was tenon's own integer, which no request could name).
    if (!named && schema?.type === 'string' && !props.some((p) => p.system === 'id') && items.length > 0) {
      resource.idKind = schema.format === 'uuid' ? 'uuid' : 'text';
      warnings.push({
        at: resource.source,
        message: `${resource.served!.item}: the key {${key}} names no property of ${resource.name}, which declares no id: it is the row's id (${resource.idKind === 'uuid' ? 'a uuid' : 'text'} the client names in the path), answered as id.`,
      });
      return;
    }
  }
  const field = named;
  // The generated routes find rows by the property the path names, as it is (`{name}`) or after
  // the resource's words (`{aliasName}` of `/aliases` → `Alias.name`).
  if (field && LOOKUP_KINDS.has(field.kind) && !field.writeOnly && items.length > 0) {
    resource.lookupKey = field.name;
    field.unique = true;
    warnings.push({ at: resource.source, message: lookupKeyNote(resource, field, key, carried) });
    // A readOnly key is still the client's to choose: the path names it, and a PUT fills it from there.
    if (field.readOnly) {
      field.readOnly = false;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is readOnly but the path's key {${key}}: it is taken from the path on PUT (and from the body on create), not left empty.`,
      });
    }
    return;
  }
  for (const op of group.ops) {
    if (!['read', 'update', 'patch', 'delete'].includes(op.kind) || !resource.operations[op.kind]) continue;
    resource.operations[op.kind] = false;
    custom.push(op.custom);
    warnings.push({
      at: files.where(op.loc),
      code: 'operation-not-crud',
      message: `${op.method.toUpperCase()} ${op.custom.path} is a handler of its own (501 until written), not CRUD: its key {${key}} is ${field ? `${resource.name}.${field.name}, a ${field.kind} property` : `a ${String(pathKeySchema(files, group.item, items, key)?.type)} that names no property of ${resource.name}`}, not the id; the generated data layer finds rows by id.`,
      hint: `Look the row up by ${key} in src/operations/; or key the path by the id, or make ${key} the id (a uuid or integer property named after the key is the primary key)${field && field.name !== key && LOOKUP_KINDS.has(field.kind) ? `, or name the parameter {${field.name}} (rows are then found by it)` : ''}.`,
    });
  }
}
