import type { ModelWarning, ResourceModel } from './api-model.js';
import { isObject, type SpecFiles } from './openapi-loader.js';
import type { PathGroup } from './openapi-paths.js';

/**
 * Whether the client chooses the key the path gives (a property rows are found by, a text id,
 * a uuid id the spec keys by uuid): only such a key can make a row. A server-set integer id
 * cannot, nor a uuid id whose key the spec lets be any text (text that is not a uuid names no row).
 */
function clientChosenKey(resource: ResourceModel): boolean {
  if (resource.lookupKey !== undefined) return true;
  if (resource.idKind === 'text') return true;
  return resource.idKind === 'uuid' && resource.served?.keyAnyString !== true;
}

/**
 * PUT as "create or replace" (spec serving): a PUT whose spec declares 201, or whose collection
 * has no POST create (the PUT is the only way the API makes a row — Typesense's presets,
 * stopwords) and which declares no 404, creates the row when its key names none instead of
 * answering 404. The answer is
 * 201 when the spec declares it, else the PUT's own status. A PUT beside a POST create that does
 * not declare 201 keeps the 404 (whether it declares one or not). Sets `served.putCreates`.
 */
export function putCreates(
  files: SpecFiles,
  group: PathGroup,
  resource: ResourceModel,
  warnings: ModelWarning[],
): void {
  const op = group.ops.find((o) => o.kind === 'update');
  const served = resource.served;
  if (!op || !served || !resource.operations.update) return;
  const responses = isObject(op.loc.node.responses) ? op.loc.node.responses : {};
  const declares201 = responses['201'] !== undefined;
  // A POST create that became a handler of its own (a list body) makes no row through CRUD.
  const postCreate = resource.operations.create && group.ops.some((o) => o.kind === 'create');
  if (!declares201 && postCreate) return;
  // A PUT that declares 404 (and no 201) says what a key naming no row gets: the 404, not a new row
  // (karakeep's `PUT /admin/users/{userId}`: "User not found").
  if (!declares201 && responses['404'] !== undefined) {
    warnings.push({
      at: files.where(op.loc),
      message: `PUT ${group.itemPath} declares 404 and no 201: a key that names no row answers 404, and no operation of the spec creates ${resource.name} rows (make them in src/resources/${resource.kebab}.service.ts, or declare 201 for the PUT to create them).`,
    });
    return;
  }
  const why = declares201 ? 'the spec declares 201 for it' : 'no POST creates its rows';
  if (!clientChosenKey(resource)) {
    warnings.push({
      at: files.where(op.loc),
      message: `PUT ${group.itemPath}: ${why}, but the key is the server's (${resource.idKind === 'bigint' ? 'an integer identity' : 'a uuid the spec lets be any text'}): a PUT on a missing key answers 404.`,
      hint: 'Key the path by a property the client chooses (a name, a string or uuid id) for PUT to create rows.',
    });
    return;
  }
  served.putCreates = declares201 ? 201 : (served.answers.update?.status ?? 200);
  const key = resource.lookupKey ?? resource.idName ?? 'id';
  warnings.push({
    at: files.where(op.loc),
    message: `PUT ${group.itemPath} creates or replaces (${why}): a key that names no row makes one with ${resource.name}.${key} from the path (answered ${served.putCreates}).`,
  });
}
