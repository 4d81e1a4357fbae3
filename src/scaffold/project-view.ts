import { quoteIdent } from '../core/sql/quote.js';
import { accessPolicy, crudOperationId } from './access-policy.js';
import { ackView } from './ack-answer.js';
import type { ApiModel, CrudOperations, FieldModel, ResourceModel, ServedAnswer } from './api-model.js';
import { callerObjectCode } from './caller-fill.js';
import { clientKey } from './client-key.js';
import { openSort, withDeclaredSort } from './declared-sort.js';
import {
  createSchema,
  DEFAULT_LIMIT,
  defaultLimit,
  filterParameters,
  includableRelations,
  itemSchema,
  listQuerySchema,
  patchSchema,
  readableFields,
  relationName,
  type Schema,
  settableFields,
  sortValues,
  valueSchema,
} from './json-schemas.js';
import { idPartsOf, keySchema, looseIntegerKey, looseUuidKey } from './key-view.js';
import { listPaging } from './list-paging.js';
import { mediaView } from './media-view.js';
import { objectName } from './migration-sql.js';
import { omittedWhenNull, omittedWhenNullEmbedded } from './null-omission.js';
import { operationView } from './operation-view.js';
import { ownRouteTest, servedAuthRoutes, specTakenAuthRoutes } from './own-auth-routes.js';
import { crudParameterCode, requiredCrudQueries, requiredParameterHeaders } from './parameter-schemas.js';
import { removedAnswerView } from './removed-answer.js';
import type { Framework } from './render.js';
import { replaceResets } from './replace-resets.js';
import { resourceRoutes } from './resource-routes.js';
import { byRouteSpecificity } from './route-specificity.js';
import { serializationSchema } from './serialization-schema.js';
import { shapeView } from './shape-view.js';
import { slugView } from './slug-source.js';
import { testView } from './test-view.js';
import { propertyAccess, propKey, resourceTypes } from './ts-types.js';
import { uncheckedFormatNames } from './unchecked-formats.js';
import { wrapBodySchema, wrapView } from './wrapped-view.js';

const CRUD_ACTIONS: Record<keyof CrudOperations, string> = {
  list: 'list',
  read: 'read',
  create: 'create',
  update: 'update',
  patch: 'update',
  delete: 'delete',
};

const DEFAULT_STATUS: Record<keyof CrudOperations, number> = {
  list: 200,
  create: 201,
  read: 200,
  update: 200,
  patch: 200,
  delete: 204,
};

/** The query string of GET by key: `include`, and the query parameters the spec declares there. */
function readQuerySchema(r: ResourceModel, relationNames: string[]): Schema {
  const properties: Schema = relationNames.length
    ? {
        include: {
          type: 'string',
          maxLength: 200,
          pattern: `^(${relationNames.join('|')})(,(${relationNames.join('|')}))*$`,
        },
      }
    : {};
  const declared = r.served?.readQuery ?? [];
  for (const p of declared) properties[p.name] = { ...p.schema };
  const required = declared.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** Everything the per-resource templates need, computed once. */
export function resourceView(r: ResourceModel, all: readonly ResourceModel[]) {
  const columnFor = (f: FieldModel) => {
    const col = quoteIdent(f.column);
    if (f.kind === 'decimal') return `${col}::float8 as "${f.name}"`;
    return f.column === f.name ? col : `${col} as "${f.name}"`;
  };
  const system = [
    'id',
    ...readableFields(r).map(columnFor),
    `created_at as "${r.createdAtName}"`,
    `updated_at as "${r.updatedAtName}"`,
  ];
  const sortColumns: Record<string, string> = { id: 'id' };
  for (const v of sortValues(r)) {
    if (v.startsWith('-') || v === 'id') continue;
    const f = r.fields.find((x) => x.name === v);
    sortColumns[v] = f ? quoteIdent(f.column) : v === r.createdAtName ? 'created_at' : 'updated_at';
  }
  const relations = includableRelations(r).map((f) => ({
    prop: relationName(f),
    propKey: propertyAccess(relationName(f)).slice(1),
    key: propertyAccess(f.name).slice(1),
    target: all.find((x) => x.name === f.ref)!,
  }));
  // References to rows of owned resources: a caller scoped to their own rows may refer only to
  // rows within that scope (the same 400 as a missing row, so no existence oracle).
  const ownedRefs = settableFields(r)
    .filter((f) => f.ref && all.find((x) => x.name === f.ref)?.owned)
    .map((f) => {
      const target = all.find((x) => x.name === f.ref)!;
      return {
        key: propertyAccess(f.name).slice(1),
        name: f.name,
        columnSql: quoteIdent(f.column),
        targetTableSql: quoteIdent(target.table),
        constraint: objectName(r.table, [f.column], 'fkey'),
        target,
      };
    });
  // The order of the operations in generated files.
  const kinds: (keyof CrudOperations)[] = ['list', 'create', 'read', 'update', 'patch', 'delete'];
  const operationInfos = Object.fromEntries(
    kinds
      .filter((k) => r.operations[k])
      .map((k) => [
        k,
        {
          operationId: crudOperationId(r, k),
          resource: r.plural,
          action: CRUD_ACTIONS[k],
          permission: `${r.plural}:${CRUD_ACTIONS[k]}`,
        },
      ]),
  );
  const paths = resourceRoutes(r);
  const routes = [
    r.operations.list && `GET ${paths.collection}`,
    r.operations.create && `POST ${paths.collection}`,
    r.operations.read && `GET ${paths.item}`,
    r.operations.update && `PUT ${paths.item}`,
    r.operations.patch && `PATCH ${paths.item}`,
    r.operations.delete && `DELETE ${paths.item}`,
  ].filter(Boolean);
  const answers = Object.fromEntries(
    kinds.map((k) => [k, r.served?.answers[k] ?? { status: DEFAULT_STATUS[k], envelope: true }]),
  ) as Record<keyof CrudOperations, ServedAnswer>;
  const relationNames = relations.map((x) => x.prop);
  const lookupField = r.lookupKey ? r.fields.find((f) => f.name === r.lookupKey) : undefined;
  const lookupSchema = lookupField ? valueSchema(lookupField) : undefined;
  if (lookupSchema?.type === 'string' && lookupSchema.format === undefined)
    lookupSchema.minLength = Math.max(1, (lookupSchema.minLength as number | undefined) ?? 0);
  return {
    ...r,
    /** Item operations find rows by this property (the spec's path key), not by id. */
    lookup: lookupField
      ? {
          key: lookupField.name,
          columnSql: quoteIdent(lookupField.column),
          access: propertyAccess(lookupField.name),
          /** The property as an object literal's key (`name`, `"x-name"`). */
          prop: propKey(lookupField.name),
        }
      : undefined,
    /** The path segment of a row in tests, as an expression over the row `v`: its id, or its lookup key. */
    itemKey: (v: string) =>
      lookupField ? `encodeURIComponent(String(${v}${propertyAccess(lookupField.name)}))` : `${v}.id`,
    schemas: {
      item: serializationSchema(itemSchema(r, all)),
      create: wrapBodySchema(r, 'create', createSchema(r)),
      update: wrapBodySchema(r, 'update', createSchema(r, 'update')),
      patch: wrapBodySchema(r, 'patch', patchSchema(r)),
      listQuery: listQuerySchema(r),
      params: {
        type: 'object',
        additionalProperties: false,
        required: [paths.key],
        properties: { [paths.key]: lookupSchema ?? keySchema(r) },
      },
      includeQuery: readQuerySchema(r, relationNames),
    },
    typesTs: resourceTypes(r, all),
    selectList: system.join(', '),
    tableSql: quoteIdent(r.table),
    idSqlType: r.idKind === 'bigint' ? 'bigint' : r.idKind,
    idTs: r.idKind === 'bigint' ? 'number' : 'string',
    sortColumns: withDeclaredSort(r, sortColumns),
    /** The spec's sort takes any value (no enum): one that names no column sorts by id, never a 400. */
    openSort: openSort(r),
    writable: settableFields(r).map((f) => ({
      key: propertyAccess(f.name).slice(1),
      access: propertyAccess(f.name),
      columnSql: quoteIdent(f.column),
      cast: f.kind === 'json' ? '::jsonb' : '',
      json: f.kind === 'json',
      listOfOne: f.listOfOne === true,
      idReferences: f.idReferences,
      secret: f.secret === true,
    })),
    replaceResets: replaceResets(r).map((f) => quoteIdent(f.column)),
    hashesSecrets: settableFields(r).some((f) => f.secret),
    /** A slug key made on create from the row's title (slug-source.ts): its column, both accesses, the longest base. */
    slug: slugView(r),
    /** JSON objects naming who made the row, filled on create from the caller (caller-fill.ts). */
    callerFills: r.fields
      .filter((f) => f.fromCaller)
      .map((f) => ({ columnSql: quoteIdent(f.column), value: callerObjectCode(f.fromCaller!) })),
    filters: filterParameters(r).map((p) => ({
      access: propertyAccess(p.name),
      columnSql: quoteIdent(p.field.column),
      op: p.op === 'eq' ? '=' : p.op === 'gte' ? '>=' : '<=',
    })),
    relations,
    ownedRefs,
    operationInfos,
    routes: {
      ...paths,
      /** The key as a property in a type (`id`, `'event-id'`). */
      keyProp: propKey(paths.key),
      /** The key read from params (`.id`, `['event-id']`). */
      keyAccess: propertyAccess(paths.key),
      /** The item route up to its key: `${itemBase}/${id}` is an item's URL (Location). */
      itemBase: paths.item.slice(0, paths.item.lastIndexOf('/')),
      /** What follows the key in the item route (`.json` of `/posts/:id.json`): `${itemBase}/${id}${itemTail}`. */
      itemTail: paths.item.slice(paths.item.lastIndexOf('/') + 1).replace(/^:[A-Za-z0-9_]+/, ''),
    },
    answers,
    /** Create, update and patch answers in a shape of their own, not GET's item (shape-view.ts). */
    shapes: shapeView(r),
    /** The body of DELETE when the spec answers one (undefined: no body). */
    removed: removedAnswerView(r),
    /** PUT's and PATCH's answers that are not the row (ack-answer.ts): the object literal each answers. */
    acks: { update: ackView(r.served?.answers.update?.ack), patch: ackView(r.served?.answers.patch?.ack) },
    /** The id's name in answers (`id`, or the spec's key `eventId`); rows of the data layer keep `id`. */
    idProp: r.idName ?? 'id',
    /** The page size of a list without `limit` (the spec's default when it declares one). */
    defaultLimit: defaultLimit(r),
    /** How the repository pages the list: the first page's number, the spec's `offset` (list-paging.ts). */
    paging: listPaging(r),
    /** The largest page a list gives (the spec's `limit` maximum when it declares one). */
    maxLimit: ((listQuerySchema(r).properties as Schema).limit as Schema).maximum as number,
    /** Optional properties the answers do not allow to be null: left out of every answer when null (null-omission.ts). */
    omitNull: omittedWhenNull(r),
    /** The same, per relation embedded with `?include=`. */
    omitNullEmbedded: omittedWhenNullEmbedded(r, all),
    /** The header, cookie and query parameters the spec declares on its CRUD operations (parameter-schemas.ts). */
    params: crudParameterCode(r),
    /** The spec lets clients send the key on create (client-key.ts): how the body carries it. */
    clientKey: clientKey(r)
      ? { access: propertyAccess(r.idName ?? 'id'), sequence: r.idKind === 'bigint' }
      : undefined,
    /** Server-made ids matching the id's declared pattern (id-pattern.ts): `[alphabet, count]` or a literal. */
    idParts: idPartsOf(r),
    /** The spec's key is any text and the id a uuid: the repository answers a non-uuid as no row. */
    anyKey: !lookupField && looseUuidKey(r),
    /** The spec's key is any text and the id an integer: the routes read it (`keyOf`), 404 when no integer. */
    textKey: !lookupField && looseIntegerKey(r),
    /** PUT creates the row its key names when there is none (put-creates.ts): the status then, and whether the key is the id. */
    upsert: r.served?.putCreates
      ? {
          status: r.served.putCreates,
          byId: !lookupField,
          idProp: propKey(r.idName ?? 'id'),
          idAccess: propertyAccess(r.idName ?? 'id'),
        }
      : undefined,
    /** Bodies and answers in media types besides JSON (form, multipart, XML), per operation (media-view.ts). */
    media: mediaView(r),
    /** Bodies and answers the spec wraps under a key (wrapped-view.ts). */
    wrap: wrapView(r),
    routeSummary: routes.map((x) => `\`${x}\``).join(', '),
    test: testView(r, all),
  };
}

/** What every template receives as `it`. */
export function projectView(options: {
  model: ApiModel;
  name: string;
  framework: Framework;
  openapi: Record<string, unknown>;
  source: string;
}) {
  const { model } = options;
  const constraints: Record<string, { field: string; resource: string; kind: string }> = {};
  for (const r of model.resources) {
    // A key the client sends may be taken: the 409 names it.
    if (clientKey(r) || (r.served?.putCreates && !r.lookupKey))
      constraints[`${r.table}_pkey`] = { field: r.idName ?? 'id', resource: r.name, kind: 'unique' };
    for (const f of r.fields) {
      if (f.unique)
        constraints[objectName(r.table, [f.column], 'key')] = {
          field: f.name,
          resource: r.name,
          kind: 'unique',
        };
      if (f.ref)
        constraints[objectName(r.table, [f.column], 'fkey')] = { field: f.name, resource: f.ref, kind: 'fk' };
      constraints[objectName(r.table, [f.column], 'check')] = {
        field: f.name,
        resource: r.name,
        kind: 'check',
      };
    }
  }
  return {
    project: {
      name: options.name,
      framework: options.framework,
      frameworkLabel: options.framework === 'express' ? 'Express 5' : 'Fastify 5',
      title: model.title,
      version: model.version,
      description: model.description,
      /** Some CRUD operation reads or writes XML: the project depends on fast-xml-parser and has src/http/xml-body.ts. */
      xml:
        model.resources.some((r) => mediaView(r).xml) ||
        model.operations.some((o) => o.bodyMediaTypes?.xml !== undefined || o.answer?.xml !== undefined),
    },
    resources: model.resources.map((r) => resourceView(r, model.resources)),
    policy: accessPolicy(model),
    /** tenon's auth routes the spec declares itself (`GET /api/v1/auth/me`): its operation is served there instead. */
    specAuthRoutes: specTakenAuthRoutes(accessPolicy(model).rules),
    /** tenon's auth routes the project serves: the only ones kept out of Idempotency-Key handling. */
    servedAuthRoutes: servedAuthRoutes(accessPolicy(model).rules),
    /** The generated tests that call tenon's `GET /api/v1/auth/me`: skipped, saying why, where the spec takes it. */
    meTest: ownRouteTest(specTakenAuthRoutes(accessPolicy(model).rules), 'GET /api/v1/auth/me'),
    /**
     * A generated test that calls tenon's own auth routes by name (`/login`, `/register`, …; the
     * full `METHOD /api/v1/auth/x` is built here): skipped, saying why, where the spec takes one.
     * Test users sign in in process (test/generated/sessions.ts), so only tests of the routes themselves need this.
     */
    ownTest: (...names: string[]) =>
      ownRouteTest(
        specTakenAuthRoutes(accessPolicy(model).rules),
        ...names.map((name) => `${name === '/me' ? 'GET' : 'POST'} /api/v1/auth${name}`),
      ),
    operations: model.operations.map(operationView),
    /** The served spec's formats the generated validation does not know: registered as annotations (src/generated/formats.ts). */
    uncheckedFormats: uncheckedFormatNames(options.openapi),
    /** Headers the generated tests always send: required header and cookie parameters of CRUD operations. */
    specParameterHeaders: requiredParameterHeaders(model.resources),
    specQueryParameters: requiredCrudQueries(model.resources),
    /** The operations in the order Express must register them: static segments before parameters. */
    operationsInRouteOrder: [...model.operations].sort(byRouteSpecificity).map(operationView),
    openapi: options.openapi,
    /** The spec's 200 answers of the project's own health checks, when it declares them. */
    healthAnswers: model.serving?.health ?? {},
    /** The spec's error schema (spec serving), or undefined: errors are the envelope. */
    errorFormat: model.serving?.errors,
    /** operationId → the status of a validation failure where it is not 400 (422 where the spec declares 422 and no 400). */
    invalidStatus: model.serving?.invalid ?? {},
    /** Served at the spec's own paths and answers (an OpenAPI project without `--conventions`). */
    specServing: model.serving?.mode === 'spec',
    constraints,
    defaultLimit: DEFAULT_LIMIT,
    header: `// Generated by tenon from ${options.source}. Edits are kept: the next generation is written beside this file as .tenon-new.`,
    /** Text safe inside a block comment: no comment end, one line. */
    comment: (text: string) => text.replace(/\*\//g, '*\u2215').replace(/\s+/g, ' ').trim(),
    /** A property access for TypeScript source: `.name`, or `["log-level"]` for a name that is not an identifier. */
    access: propertyAccess,
    /** A property key for TypeScript source: `name`, or `"log-level"`. */
    propKey,
    /** The access of a property key ({@link propKey}): `.name`, or `["log-level"]`. */
    member: (key: string) => (key.startsWith('"') ? `[${key}]` : `.${key}`),
    /** An operation's URL in the generated tests: each route parameter `1`, a colon the path holds kept (`/v1/1:undelete`). */
    sampleUrl: (op: { route: string; url?: string }) =>
      (op.url ?? op.route).replace(/::|:[A-Za-z0-9_]+/g, (m) => (m === '::' ? ':' : '1')),
    /** JSON for TypeScript source, indented to sit at `indent` spaces. */
    json: (value: unknown, indent = 0) =>
      JSON.stringify(value, null, 2).replace(/\n/g, `\n${' '.repeat(indent)}`),
  };
}

/** The template data type. */
export type ProjectView = ReturnType<typeof projectView>;
