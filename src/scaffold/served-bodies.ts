import { TenonError } from '../core/errors.js';
import { answerGapOf } from './answer-gap.js';
import type { FieldModel, ModelWarning, ResourceModel, ServedBody, ServedResource } from './api-model.js';
import { bodyTypeConflict } from './body-type-conflict.js';
import { callerFill, callerWords } from './caller-fill.js';
import { bodyKey } from './client-key.js';
import { idReferenceKey, storedReferences } from './id-references.js';
import { valueSchema } from './json-schemas.js';
import { propertyToField } from './openapi-fields.js';
import { isObject, type JsonObject, type SpecFiles } from './openapi-loader.js';
import { requestBodySchema } from './openapi-media.js';
import { normalizeSchema, toStandaloneSchema } from './openapi-schema.js';
import type { ResourcePaths } from './openapi-served.js';
import { bodyWrapper } from './openapi-wrapper.js';
import { sampledDefault } from './sampled-default.js';
import { slugSource } from './slug-source.js';
import { exampleFits } from './test-samples.js';

/**
 * Reads the request bodies of a resource's create/update/patch operations.
 * A body property the read schema lacks (museum's `email` when buying a
 * ticket) becomes a write-only field: accepted, stored, never returned.
 * A field the answers require that the create body does not (a server-set
 * value, museum's `confirmationCode`) gets a column default — the spec's
 * example, or the zero of its type — or, failing that, a nullable column;
 * each such decision is a warning in the report.
 */
export function servedBodies(
  files: SpecFiles,
  group: ResourcePaths,
  resource: ResourceModel,
  warnings: ModelWarning[],
): void {
  if (!resource.served) return;
  const bodies: NonNullable<ServedResource['bodies']> = {};
  const known = new Set(resource.fields.map((f) => f.name));
  const system = new Set(['id', resource.idName ?? 'id', resource.createdAtName, resource.updatedAtName]);
  // The lookup key a create's own schema does not declare: nobody but the server can give it.
  let keyFromServer: string | undefined;
  // Properties already reported as conflicting (create and update often share the body).
  const conflicts = new Set<string>();
  for (const op of group.ops) {
    if (op.kind !== 'create' && op.kind !== 'update' && op.kind !== 'patch') continue;
    const declared = requestBodySchema(files, op.loc);
    if (!declared) continue;
    // A body wrapped under a key (`{ "article": {…} }`, served only when it requires the key —
    // openapi-paths.ts): the row's fields are the object under it.
    const wrapper = bodyWrapper(files, declared);
    const loc = wrapper?.shape === 'one' ? wrapper.inner : declared;
    if (wrapper?.shape === 'one')
      resource.served.wrapBodies = { ...resource.served.wrapBodies, [op.kind]: wrapper.key };
    const norm = normalizeSchema(files, loc);
    if (!isObject(norm.schema.properties)) continue;
    const required = new Set(Array.isArray(norm.schema.required) ? norm.schema.required.map(String) : []);
    const properties: string[] = [];
    const schemas: Record<string, JsonObject> = {};
    let key: ServedBody['key'];
    let ignored: ServedBody['ignored'];
    for (const [name, at] of Object.entries(norm.propertyLocations)) {
      // The key in a body (petstore's `"id": 10`) is accepted unless readOnly (client-key.ts).
      if (name === (resource.idName ?? 'id') && name in norm.schema.properties)
        key = bodyKey(
          toStandaloneSchema(files, at),
          required.has(name),
          normalizeSchema(files, at).schema.readOnly === true,
        );
      if (!(name in norm.schema.properties)) continue;
      // The timestamps are server-set bookkeeping: a body that declares them (listmonk's list with
      // `created_at`) is valid with them; they are accepted, validated as declared, and not stored.
      const stamp = name === resource.createdAtName || name === resource.updatedAtName;
      if (stamp && normalizeSchema(files, at).schema.readOnly !== true)
        ignored = { ...ignored, [name]: toStandaloneSchema(files, at) };
      if (system.has(name)) continue;
      if (!known.has(name)) {
        const info = propertyToField(files, name, at, false);
        if (info.system) continue;
        resource.fields.push({ ...info.field, writeOnly: true, readOnly: false });
        known.add(name);
        warnings.push({
          at: files.where(at),
          message: `${resource.name}.${name} is in the ${op.kind} body but not in the answers: stored in a column of its own and never returned.`,
        });
      }
      const field = resource.fields.find((f) => f.name === name)!;
      // `readOnly` is the body's own word: netbird's create body requires `is_service_user`, which
      // the answer schema marks readOnly. The path's key stays the client's (from-openapi.ts).
      const ownReadOnly = normalizeSchema(files, at).schema.readOnly === true;
      if (ownReadOnly && !(name === resource.lookupKey && !field.readOnly)) continue;
      const own = toStandaloneSchema(files, at);
      // A body value the answers' column cannot hold (listmonk's `send_at`, an object on create and
      // a date-time string in the answers; its `type`, any string on create and an enum in the
      // answers): the spec gives two meanings to one name, so the body's is accepted as declared
      // and not stored; the column keeps the answers' meaning.
      const foreign = bodyTypeConflict(field, own);
      if (foreign) {
        ignored = { ...ignored, [name]: own };
        if (!conflicts.has(name))
          warnings.push({
            at: files.where(at),
            code: 'property-type-conflict',
            message: `${resource.name}.${name} is ${foreign} in the ${op.kind} body and ${field.kind === 'enum' ? `one of ${field.enumValues!.join(', ')}` : field.kind} in the answers: the body's value is validated as the request declares it and not stored (your service gets it in its input); the column keeps the answers' type and is set by src/resources/${resource.kebab}.service.ts.`,
            hint: `Give ${name} one type in the request body and the answers, or name the two properties differently.`,
          });
        conflicts.add(name);
        continue;
      }
      properties.push(name);
      if (field.kind !== 'json') continue;
      // A jsonb column stores any JSON: the body's own schema decides what is valid.
      if (JSON.stringify(own) === JSON.stringify(field.jsonSchema)) continue;
      schemas[name] = own;
      if (field.jsonSchema?.type === 'array' && own.type !== 'array') field.listOfOne = true;
      // Ids where the answers have objects naming them: stored as those objects (`{ id }`).
      const reference = field.jsonSchema && idReferenceKey(own, field.jsonSchema);
      if (reference && !field.idReferences) {
        field.idReferences = reference;
        warnings.push({
          at: files.where(at),
          code: 'id-references-embedded',
          message: `${resource.name}.${name} is a list of ids in the ${op.kind} body and a list of objects in the answers: each id is stored as { ${reference}: id } and answered so; the objects' other properties are left out until src/resources/${resource.kebab}.service.ts fills them.`,
        });
      }
      // A stored value the answers could not write would be a 500 after the commit: handlers instead.
      const stored = reference ? storedReferences(own, reference) : own;
      const gap = field.jsonSchema && answerGapOf(stored, field.jsonSchema);
      if (gap) {
        const place = `${name}${gap.path.startsWith('[') ? '' : '.'}${gap.path}`;
        throw new TenonError(
          'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
          gap.kind === 'missing'
            ? `${files.where(at)}: ${resource.name}.${name} in the ${op.kind} body may leave out ${place}, which the answers require; a stored value could not be answered.`
            : `${files.where(at)}: ${resource.name}.${name} in the ${op.kind} body may hold null at ${place}, where the answers require a value; a stored value could not be answered.`,
          {
            hint:
              gap.kind === 'missing'
                ? `Require ${gap.path} in the ${op.kind} body's ${name}, make it optional in the answers, or write the operations in src/operations/.`
                : `Refuse null for ${gap.path} in the ${op.kind} body's ${name}, allow null in the answers, or write the operations in src/operations/.`,
            details: { pointer: at.pointer },
          },
        );
      }
    }
    // The path's key names the row: a body that leaves that property out gets it from the path
    // (the routes fill it on PUT), so rows always have it — the repository and its types take it.
    const lookup = resource.lookupKey;
    if (lookup && op.kind !== 'patch' && !properties.includes(lookup)) {
      properties.push(lookup);
      if (op.kind === 'create') keyFromServer = lookup;
    }
    const body: ServedBody = { properties, required: properties.filter((p) => required.has(p)) };
    if (Object.keys(schemas).length > 0) body.schemas = schemas;
    if (key?.required && op.kind === 'create' && group.itemPath === undefined) {
      // No operation names a row by the key the create requires: it names another row (the post a
      // like is on), and rows repeat it. Storing it as the key would refuse the second like (409).
      key.reference = true;
      warnings.push({
        at: files.where(loc),
        code: 'body-key-reference',
        message: `${resource.name}.${resource.idName ?? 'id'} is required in the create body and no operation names a ${resource.name} by it: it is read as naming another row, validated as declared and not stored (your service gets it in its input); the server sets each row's own ${resource.idName ?? 'id'}.`,
        hint: `Give ${resource.plural} an item path (/${resource.plural}/{${resource.idName ?? 'id'}}) if the client chooses the key, or write the operation in src/operations/.`,
      });
    }
    if (key) body.key = key;
    if (ignored) body.ignored = ignored;
    if (typeof norm.schema.minProperties === 'number') body.minProperties = norm.schema.minProperties;
    if (typeof norm.schema.maxProperties === 'number') body.maxProperties = norm.schema.maxProperties;
    bodies[op.kind] = body;
  }
  if (Object.keys(bodies).length > 0) resource.served.bodies = bodies;
  // Without a POST create, the PUT body is the only write: the rows it makes (an upsert, put-creates.ts)
  // get what the answers require by the same decisions (netbird's peers: a PUT that created a row
  // without `os` or `connected` was a NOT NULL violation, answered 400).
  // A POST create that is a handler of its own (its body a list: overseerr's `POST /settings/discover`
  // takes many sliders) writes no row through CRUD: the PUT is then the only write, and the rows the
  // repository makes from its body failed on a NOT NULL column the answers require (`enabled`).
  const crudCreate = resource.operations.create && group.ops.some((o) => o.kind === 'create');
  const writer = bodies.create ? 'create' : crudCreate ? undefined : 'update';
  // No operation writes rows (coolify's applications: GET/PATCH/DELETE /applications/{uuid}; gotify's
  // list-only plugins): rows come from actions and the user's code, which the same decisions serve as a
  // create that sends nothing — a text key would be null (no route could reach the row), a readOnly
  // property the answers require a NOT NULL column nothing fills.
  const none = writer === 'update' && !bodies.update;
  const create = none ? { properties: [], required: [] } : writer && bodies[writer];
  const lookup = resource.fields.find((f) => f.name === resource.lookupKey);
  if (none && lookup && uuidFits(lookup)) {
    lookup.serverDefault = 'uuid';
    warnings.push({
      at: resource.source,
      message: `${resource.name}.${lookup.name} is the key of ${resource.served.item ?? 'the item path'} and no generated route creates ${resource.name} rows: the database sets a new uuid (as text) in each row your code makes without one; set your own in src/resources/${resource.kebab}.service.ts.`,
    });
  }
  if (!create) return;
  const notOn =
    writer === 'create'
      ? 'on create'
      : none
        ? 'set by any operation (none creates rows)'
        : 'in the PUT body, the only write';
  if (create.key && writer === 'create')
    warnings.push({
      at: resource.source,
      message: `${resource.name}.${resource.idName ?? 'id'} is in the create body: a client's value is the primary key (409 when taken${resource.idKind === 'bigint' ? '; the identity is moved past it' : ''}), the server sets one otherwise; on update it is accepted and not stored.`,
    });
  for (const field of resource.fields) {
    // The PUT's row gets the path's key when its body leaves it out (the routes fill it).
    if (writer === 'update' && field.name === resource.lookupKey) continue;
    // A text key of the path that the create does not take (coolify's `/projects/{uuid}`, a
    // `uuid: string` beside the integer id): a row without it could never be reached, so the
    // database sets a new uuid as its text unless a client sends one. Text whose schema a uuid
    // may not satisfy (a pattern, an enum, a length under 36) stays the service's to set.
    if (field.name === keyFromServer && uuidFits(field)) {
      field.serverDefault = 'uuid';
      // A slug is made from the row's title (`Article.slug`), as a reader of the URL expects.
      const from = slugSource(field.name, resource.fields, create.required);
      if (from) field.slugFrom = from;
      warnings.push({
        at: resource.source,
        message: from
          ? `${resource.name}.${field.name} is the key of ${resource.served?.item ?? 'the item path'} and the create does not take it: the server makes it from ${from} (lower-case words joined by "-", a random suffix when another row has it; a new uuid as text when ${from} has no letter or digit) unless the request gives one; set your own in src/resources/${resource.kebab}.service.ts.`
          : `${resource.name}.${field.name} is the key of ${resource.served?.item ?? 'the item path'} and the create does not take it: the database sets a new uuid (as text) unless the request gives one; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    // An optional, non-nullable uuid of the answers that a create may leave out (museum's
    // ticketId, "generated when purchased", the key of /tickets/{ticketId}/qr) would have no
    // value: the database makes one when the create does not give it. References to other
    // rows never get one (check-model takes it off).
    if (
      !field.required &&
      field.kind === 'uuid' &&
      !field.nullable &&
      !field.writeOnly &&
      field.default === undefined &&
      !create.required.includes(field.name)
    ) {
      field.serverDefault = 'uuid';
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is an optional uuid of the answers: the database sets a new one when the create does not give it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    if (
      !field.required ||
      field.nullable ||
      field.default !== undefined ||
      create.required.includes(field.name)
    )
      continue;
    const example = field.example;
    const zero: Partial<Record<FieldModel['kind'], string | number | boolean>> = {
      integer: 0,
      bigint: 0,
      number: 0,
      decimal: 0,
      boolean: false,
    };
    const value =
      typeof example === 'string' || typeof example === 'number' || typeof example === 'boolean'
        ? example
        : field.kind === 'enum'
          ? field.enumValues![0]
          : (field.kind === 'string' || field.kind === 'text') && !field.minLength && !field.pattern
            ? ''
            : zero[field.kind];
    // A uuid, a time or a date the spec leaves to the server: the database sets one on insert
    // (an example would give every row the same value).
    const generated = ({ uuid: 'uuid', datetime: 'now', date: 'today' } as const)[
      field.kind as 'uuid' | 'datetime' | 'date'
    ];
    if (generated) {
      field.serverDefault = generated;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not ${notOn}: the database sets ${generated === 'uuid' ? 'a new uuid' : generated === 'now' ? 'the time of the insert' : 'the date of the insert'} unless the request gives it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    // Who made the row (RealWorld's `Article.author`): the caller, filled on create (caller-fill.ts).
    // Filled from the caller on create: with no create (`none`), no route fills it, and the user's rows carry their own.
    const fromCaller = field.kind === 'json' && !none ? callerFill(field.name, field.jsonSchema) : undefined;
    if (fromCaller) {
      field.fromCaller = fromCaller;
      field.required = false;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not ${notOn}, and names who made the row: it is filled on create from the caller's account (${callerWords(fromCaller)}); change it in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    // A JSON object or list the create cannot give (spree's `metadata`, RealWorld's `tagList`): an
    // empty one where the schema accepts it, so answers carry what they require. The column stays
    // nullable (rows of a project generated before keep their NULL; a migration sets only the default).
    const empty = field.kind === 'json' ? emptyJson(field.jsonSchema) : undefined;
    if (empty) {
      field.serverDefault = empty;
      field.required = false;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not ${notOn}: the database sets ${empty === 'emptyObject' ? '{}' : '[]'} unless the request gives it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    // The example or zero must satisfy the property's schema (a `minimum: 1` integer's 0 does not).
    if (
      value !== undefined &&
      !['uuid', 'date', 'datetime', 'json'].includes(field.kind) &&
      exampleFits(value, valueSchema(field))
    ) {
      field.default = value;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not ${notOn}: the server sets ${JSON.stringify(value)} (the spec's example or the zero of its type) unless the request gives it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    // Nothing fits as a zero: a sample of the property's own schema, so answers still satisfy it.
    const sampled = sampledDefault(field);
    if (sampled) {
      const shown = 'default' in sampled ? JSON.stringify(sampled.default) : sampled.jsonDefault;
      if ('default' in sampled) field.default = sampled.default;
      else {
        field.jsonDefault = sampled.jsonDefault;
        field.required = false;
      }
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not ${notOn}, and has no example or default: the database sets ${shown} (a sample of its schema) unless the request gives it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
    } else {
      field.required = false;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not ${notOn}, and has no example or default: its column is nullable and the answer leaves it out until your service sets it (src/resources/${resource.kebab}.service.ts).`,
      });
    }
  }
}

/**
 * `emptyObject` or `emptyArray` when `{}` or `[]` satisfies a JSON property's schema: an object or
 * array type with nothing it requires (no `required`, `minProperties`, `minItems`, `contains`) and no
 * composition that might; undefined otherwise.
 */
function emptyJson(schema: Record<string, unknown> | undefined): 'emptyObject' | 'emptyArray' | undefined {
  if (!schema || schema.oneOf || schema.anyOf || schema.allOf || schema.not || schema.if) return undefined;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object')) {
    const required = Array.isArray(schema.required) && schema.required.length > 0;
    const min = typeof schema.minProperties === 'number' && schema.minProperties > 0;
    return required || min ? undefined : 'emptyObject';
  }
  if (types.includes('array')) {
    const min = typeof schema.minItems === 'number' && schema.minItems > 0;
    return min || schema.contains !== undefined ? undefined : 'emptyArray';
  }
  return undefined;
}

/** Whether a text field with no default of its own may hold a new uuid as its text (no pattern, enum or length a uuid breaks). */
function uuidFits(field: ResourceModel['fields'][number]): boolean {
  return (
    (field.kind === 'string' || field.kind === 'text') &&
    field.default === undefined &&
    !field.pattern &&
    !field.enumValues &&
    (field.maxLength === undefined || field.maxLength >= 36) &&
    (field.minLength === undefined || field.minLength <= 36)
  );
}
