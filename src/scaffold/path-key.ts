import type { FieldModel, ResourceModel } from './api-model.js';
import { singularize, words } from './naming.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { operationParameters } from './openapi-operations.js';

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
