import { TenonError } from '../core/errors.js';
import type { CrudOperations, ModelWarning, ResourceModel } from './api-model.js';
import { applyIdPattern } from './id-pattern.js';
import { SYSTEM_COLUMNS, singularize, toCamel, toKebab, toPascal, toSnake } from './naming.js';
import { operationRoles } from './openapi-access.js';
import { numberIdNote, type PropertyInfo, propertyToField } from './openapi-fields.js';
import { isObject, type JsonObject, type SpecFiles } from './openapi-loader.js';
import { findResourceSchema, type PathGroup } from './openapi-paths.js';
import { normalizeSchema } from './openapi-schema.js';
import { unionOfBranches } from './openapi-union.js';

/** What the project's own columns hold, for messages. */
const OWN_COLUMN: Record<string, string> = {
  id: 'key',
  created_at: 'creation time',
  updated_at: 'update time',
};

/**
 * Builds one resource of a spec from its path group: the schema found for it
 * (read answer, list items, create answer or a write's body), its fields and
 * key, the CRUD operations its paths declare and their access roles.
 */
export function buildResource(
  files: SpecFiles,
  group: PathGroup,
  warnings: ModelWarning[],
  scopeRoles: Set<string>,
): { resource: ResourceModel; props: PropertyInfo[] } {
  const where = files.where(group.collection ?? group.item!);
  const schemaLoc = findResourceSchema(files, group);
  if (!schemaLoc) {
    throw new TenonError(
      'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
      `${where}: cannot tell the shape of "${group.segment}": none of its operations has a JSON schema.`,
      {
        hint: 'Give the GET /{id} response or the POST request body an application/json schema.',
        details: { pointer: (group.collection ?? group.item)!.pointer },
      },
    );
  }
  const written = normalizeSchema(files, schemaLoc);
  const at = files.where(written.loc);
  // A union of object branches is one table of all their properties; any other union is refused.
  const branches: Partial<NonNullable<ResourceModel['union']>> = {};
  const union =
    written.schema.oneOf || written.schema.anyOf
      ? unionOfBranches(files, written, warnings, branches)
      : undefined;
  const norm = union ?? written;
  if (norm.schema.oneOf || norm.schema.anyOf) {
    throw new TenonError(
      'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
      `${at}: the schema of "${group.segment}" is a oneOf/anyOf; a resource must have one object shape to become a table.`,
      {
        hint: 'Describe the resource as one object (allOf is merged); put variant parts in a property, which is stored as JSON and validated as written.',
        details: { pointer: norm.loc.pointer },
      },
    );
  }
  if (
    !isObject(norm.schema.properties) ||
    (norm.schema.type !== undefined && norm.schema.type !== 'object')
  ) {
    throw new TenonError(
      'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
      `${at}: the schema of "${group.segment}" is not an object with properties.`,
      {
        hint: 'A resource schema needs type: object and properties.',
        details: { pointer: norm.loc.pointer },
      },
    );
  }
  const schema = norm.schema;
  const declared = typeof schema['x-tenon-resource'] === 'string' ? schema['x-tenon-resource'] : undefined;
  const name = toPascal(declared ?? norm.refName ?? schemaLoc.refName ?? singularize(group.segment));
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const props: PropertyInfo[] = [];
  for (const [prop, loc] of Object.entries(norm.propertyLocations)) {
    if (!(prop in (schema.properties as JsonObject))) continue;
    props.push(propertyToField(files, prop, loc, required.has(prop)));
  }
  // A property that lands on a column the project manages (an integer `created_at`, Unix epoch) keeps
  // its JSON name and gets a column of its own beside tenon's timestamps.
  for (const p of props) {
    if (p.system || !SYSTEM_COLUMNS.has(p.field.column) || p.field.column !== toSnake(p.field.name)) continue;
    p.field.column = `spec_${p.field.column}`;
    warnings.push({
      at: files.where(norm.propertyLocations[p.field.name] ?? norm.loc),
      message: `${name}.${p.field.name} (a ${p.field.kind}) is the spec's own, not the row's ${OWN_COLUMN[p.field.column.slice('spec_'.length)] ?? 'own column'}: it is stored in the column ${p.field.column} (the project keeps the row's key in id and its timestamps in created_at and updated_at).`,
    });
  }
  const ops: CrudOperations = {
    list: false,
    create: false,
    read: false,
    update: false,
    patch: false,
    delete: false,
  };
  for (const op of group.ops) ops[op.kind] = true;
  const idProp = props.find((p) => p.system === 'id');
  const owned = schema['x-tenon-owner'] === true;
  const resource: ResourceModel = {
    name,
    camel: toCamel(name),
    kebab: toKebab(name),
    plural: group.segment,
    table: typeof schema['x-tenon-table'] === 'string' ? schema['x-tenon-table'] : toSnake(group.segment),
    idKind: idProp?.idKind ?? 'bigint',
    createdAtName: props.find((p) => p.system === 'createdAt')?.field.name ?? 'createdAt',
    updatedAtName: props.find((p) => p.system === 'updatedAt')?.field.name ?? 'updatedAt',
    fields: props.filter((p) => !p.system && !(owned && p.field.column === 'owner_id')).map((p) => p.field),
    owned,
    indexes: [],
    operations: ops,
    source: at,
  };
  if (union && branches.property && branches.branches) {
    resource.union = { property: branches.property, branches: branches.branches };
  }
  applyIdPattern(resource, idProp?.field, warnings);
  const numberId = numberIdNote(resource, idProp?.field);
  if (numberId) warnings.push(numberId);
  if (typeof schema.description === 'string') resource.description = schema.description;
  const operationIds: ResourceModel['operationIds'] = {};
  for (const op of group.ops)
    if (typeof op.loc.node.operationId === 'string') operationIds[op.kind] = op.loc.node.operationId;
  if (Object.keys(operationIds).length > 0) resource.operationIds = operationIds;
  const roles: NonNullable<ResourceModel['operationRoles']> = {};
  const scopes: NonNullable<ResourceModel['operationScopes']> = {};
  const publicOps: NonNullable<ResourceModel['publicOperations']> = [];
  for (const op of group.ops) {
    const declared = operationRoles(files, op.loc, scopeRoles);
    if (declared?.public) publicOps.push(op.kind);
    else if (declared) roles[op.kind] = declared.roles;
    if (declared?.anyOf) scopes[op.kind] = declared.anyOf;
  }
  if (publicOps.length > 0) resource.publicOperations = publicOps;
  if (Object.keys(roles).length > 0) resource.operationRoles = roles;
  if (Object.keys(scopes).length > 0) resource.operationScopes = scopes;
  resource.specPaths = {
    ...(group.collectionPath ? { collection: group.collectionPath } : {}),
    ...(group.itemPath ? { item: group.itemPath } : {}),
  };
  const indexes = schema['x-tenon-indexes'];
  if (Array.isArray(indexes)) {
    indexes.forEach((index, i) => {
      const columns = isObject(index) && Array.isArray(index.columns) ? index.columns.map(String) : [];
      const cols = columns.map((c) => resource.fields.find((f) => f.name === c)?.column ?? '');
      if (cols.length === 0 || cols.includes('')) {
        throw new TenonError(
          'TENON_SCAFFOLD_SPEC_INVALID',
          `${at}/x-tenon-indexes/${i}: columns must name properties of ${name}.`,
          {
            hint: 'Write x-tenon-indexes: [{ columns: [fieldA, fieldB], unique: true }].',
            details: { pointer: `${norm.loc.pointer}/x-tenon-indexes/${i}` },
          },
        );
      }
      resource.indexes.push({ columns: cols, unique: isObject(index) && index.unique === true });
    });
  }
  if (!ops.create && !ops.read)
    warnings.push({
      at,
      message: `${name} has neither POST nor GET /{id}; only its other operations are generated.`,
    });
  return { resource, props };
}
