/**
 * The internal model every input (OpenAPI 3.0/3.1, the resource DSL) is
 * turned into, and every generated file is rendered from. It is plain data
 * (JSON-serializable) so it can be stored in `.tenon/model.json` and
 * compared with the next generation's model to write migrations.
 */

import type {
  CrudOperationName,
  OperationParameter,
  ServedAnswer,
  ServedResource,
  ServingModel,
  XmlShape,
} from './serving-model.js';

// The serving types live in serving-model.ts; re-exported so the model reads as one module.
export type {
  CrudOperationName,
  ErrorFormat,
  ErrorFormats,
  ErrorValue,
  OperationParameter,
  PageShape,
  PageValue,
  ServedAnswer,
  ServedBody,
  ServedResource,
  ServingModel,
  XmlShape,
} from './serving-model.js';

/** The kinds of field the generator knows how to store, validate and type. */
export type FieldKind =
  | 'string'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'number'
  | 'decimal'
  | 'boolean'
  | 'uuid'
  | 'email'
  | 'uri'
  | 'date'
  | 'datetime'
  | 'enum'
  | 'json';

/** One property of a resource, stored in one column. */
export interface FieldModel {
  /** The property name in the API (as written in the spec). */
  name: string;
  /** The column name (snake_case of `name`). */
  column: string;
  kind: FieldKind;
  /** Must be present on create and replace. */
  required: boolean;
  /** May be `null`. */
  nullable: boolean;
  /** Values of an `enum` field, in spec order. */
  enumValues?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  /** ECMAScript regular expression (validated by the API, not the database). */
  pattern?: string;
  /** Default applied by the database (and documented in the schema). */
  default?: string | number | boolean | null;
  /**
   * A value the database sets on insert when the spec requires the property in
   * answers but not on create and gives no example: a new uuid, the time, the date, or an empty
   * JSON object or array (`{}`, `[]`) where the property's schema accepts one.
   */
  serverDefault?: 'uuid' | 'now' | 'today' | 'emptyObject' | 'emptyArray';
  /**
   * For a `json` field the answers require, that no request sets and whose schema `{}` or `[]`
   * does not satisfy: the JSON text of a sample of its schema, the column's default (sampled-default.ts).
   */
  jsonDefault?: string;
  /**
   * A JSON object naming who made the row (`Article.author`), required in answers and taken by no
   * create: filled on create from the caller, property by property (caller-fill.ts).
   */
  fromCaller?: Record<string, CallerValue>;
  /**
   * A lookup key the create does not take, named like a slug (`Article.slug`): made on create from
   * this required string of the body (`title`), a random suffix added when another row holds it.
   */
  slugFrom?: string;
  description?: string;
  /** A unique constraint on this column alone. */
  unique: boolean;
  /** An index on this column (foreign keys always get one). */
  indexed: boolean;
  /** Foreign key: the resource this field refers to. */
  ref?: string;
  /** For `json` fields: the JSON Schema the value must satisfy (refs resolved). */
  jsonSchema?: Record<string, unknown>;
  /**
   * A list in the answers that some request body also takes as a single
   * value (resend's `to`): a single value is stored as a list of one.
   */
  listOfOne?: boolean;
  /**
   * A list of ids in request bodies whose answers list objects naming them
   * (listmonk's campaign `lists`): each id is stored as `{ [idReferences]: id }`.
   */
  idReferences?: string;
  /** Nullable in the resource's schema, non-nullable in some answer's: left out of answers when null. */
  answeredNonNullable?: boolean;
  /** Accepted as an equality (and for ordered kinds, range) filter on the list endpoint. */
  filterable: boolean;
  /** Accepted in the list endpoint's `sort` parameter. */
  sortable: boolean;
  /** An example value from the spec (used by the generated tests). */
  example?: string | number | boolean | null | Record<string, unknown> | unknown[];
  /** Returned but never accepted in request bodies. */
  readOnly?: boolean;
  /** Accepted but never returned. */
  writeOnly?: boolean;
  /**
   * A password or secret (`format: password` or `writeOnly`, named like one): write-only, stored
   * as its argon2id hash (the column holds the hash: no length check), never filtered or sorted.
   */
  secret?: boolean;
  /** The previous name of the field (`x-tenon-renamed-from`), for rename migrations. */
  renamedFrom?: string;
}

/**
 * Where a property of a caller-filled object comes from: the caller's account id, e-mail, or public
 * name (the e-mail's local part), or a fixed sample its schema accepts (`bio: ''`, `following: false`).
 */
export type CallerValue = 'id' | 'email' | 'handle' | { sample: unknown };

/** Which of the six CRUD operations a resource exposes. */
export type CrudOperations = Record<CrudOperationName, boolean>;

/** An index declared with `x-tenon-indexes`. */
export interface IndexModel {
  columns: string[];
  unique: boolean;
}

/** A resource: one table, one CRUD route set, one service. */
export interface ResourceModel {
  /** PascalCase singular (`OrderItem`): type names. */
  name: string;
  /** camelCase singular (`orderItem`): variables. */
  camel: string;
  /** kebab-case singular (`order-item`): file names. */
  kebab: string;
  /** The path segment of the collection (`order-items`). */
  plural: string;
  /** The table name (`order_items`). */
  table: string;
  /**
   * `bigint` identity, `uuid`, or `text` (a string id without a format: the
   * server fills it with a random uuid's text unless the client sends one).
   */
  idKind: 'bigint' | 'uuid' | 'text';
  /**
   * The name of the id in the API when it is not `id` (spec serving: the item path's key
   * `{eventId}` names a property of the resource, which becomes the primary key; the column stays `id`).
   */
  idName?: string;
  /** A `text` id's declared `pattern`: ids are validated by it, and the server makes ids matching it (id-pattern.ts). */
  idPattern?: string;
  /**
   * The property the item path's key names when it is not the id (`/user/{username}`):
   * item operations find the row by it (a unique column) instead of by id.
   */
  lookupKey?: string;
  /** API names of the timestamp fields (`createdAt`/`updatedAt` unless the spec uses others). */
  createdAtName: string;
  updatedAtName: string;
  /**
   * Spec serving: the timestamps (`createdAt`, `updatedAt`) the spec's
   * answers do not declare. The table keeps them (sorting, cursors); the
   * answers leave them out, as the spec describes the resource.
   */
  unanswered?: string[];
  /**
   * A resource whose schema is a discriminated union of object branches: the discriminator
   * property and, per branch, its values and the properties it requires beyond those every
   * branch requires (checked on create and replace).
   */
  union?: { property: string; branches: { values: string[]; required: string[] }[] };
  fields: FieldModel[];
  /** `x-tenon-owner`: rows belong to a user; the data layer scopes queries by `owner_id`. */
  owned: boolean;
  indexes: IndexModel[];
  operations: CrudOperations;
  description?: string;
  /** operationIds of the CRUD operations, when the spec names them. */
  operationIds?: Partial<Record<keyof CrudOperations, string>>;
  /** The spec's collection and item paths (`/products`, `/products/{id}`), when from OpenAPI. */
  specPaths?: { collection?: string; item?: string };
  /** Where the resource came from, for error messages (JSON pointer or DSL position). */
  source: string;
  /** Roles allowed per operation, when the spec declares them on the operation (`x-tenon-permissions`, security scopes). */
  operationRoles?: Partial<Record<keyof CrudOperations, string[]>>;
  /** Served at the spec's own paths: the routes, the item key and each operation's answer (absent: tenon's conventions). */
  served?: ServedResource;
  /** Per operation, from its security requirements: alternatives, each needing all of its scopes. */
  operationScopes?: Partial<Record<keyof CrudOperations, string[][]>>;
  /** Operations the spec opens to anonymous callers (`security: []`, or `{}` among its requirements). */
  publicOperations?: (keyof CrudOperations)[];
}

/** An operation that is not CRUD on a resource: routed to a user-owned handler answering 501. */
export interface CustomOperation {
  operationId: string;
  /** camelCase handler name derived from operationId. */
  handler: string;
  /** kebab-case file name. */
  file: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Route path with `:param` placeholders: the spec's path under its base, or under `/api/v1` with `--conventions`. */
  route: string;
  /** The spec path (with `{param}`). */
  specPath: string;
  /** The route as the routers register it when it differs from `route`: a `:` of the path doubled (`/things::count`; route-params.ts `registeredRoute`). */
  url?: string;
  summary?: string;
  parameters: OperationParameter[];
  /** JSON Schema of the request body, if any (JSON, or a form: see `bodyMedia`). */
  body?: Record<string, unknown>;
  bodyRequired: boolean;
  /**
   * `form`: the spec declares the body as `application/x-www-form-urlencoded` (and no JSON);
   * `raw`: only other media types (`application/octet-stream`, `image/png`, `text/plain`): the
   * handler gets the bytes, `bodyTypes` says which types are taken; absent: JSON.
   */
  bodyMedia?: 'form' | 'raw';
  /** For `raw` bodies: the media types the spec declares (`image/*` allowed). */
  bodyTypes?: string[];
  /**
   * A JSON (or form) body the spec also declares as a form, multipart or XML:
   * every served type, as written, and how its XML is read (as CRUD bodies).
   */
  bodyMediaTypes?: { types: string[]; xml?: XmlShape };
  /** JSON Schema of the JSON body of the first 2xx response the spec declares, if any: the handler's return type. */
  response?: Record<string, unknown>;
  /** Roles allowed, when the spec declares them on the operation. */
  roles?: string[];
  /** The spec's success answer (spec serving); absent: 200 with the envelope. */
  answer?: ServedAnswer;
  /** From its security requirements: alternatives, each needing all of its scopes. */
  scopes?: string[][];
  /** The spec opens it to anonymous callers (`security: []`, or `{}` among its requirements). */
  public?: boolean;
  /**
   * Its handler answers the distinct values of one column of lists of strings (distinct-values.ts):
   * quoted table and column, and the answer's property holding them (absent: a bare list).
   */
  distinct?: { table: string; column: string; key?: string };
}

/** The whole API. */
export interface ApiModel {
  title: string;
  version: string;
  description?: string;
  resources: ResourceModel[];
  operations: CustomOperation[];
  /** Access declarations at the document root (`x-tenon-roles`, `x-tenon-permissions`). */
  access?: {
    roles?: string[];
    /** operationId or permission → roles allowed. */
    permissions?: Record<string, string[]>;
    /** Where the spec's security schemes put the token besides `Authorization: Bearer`. */
    credentials?: { basic: boolean; headers: string[]; query: string[]; cookies: string[] };
  };
  /** How the API is served; absent: tenon's conventions. */
  serving?: ServingModel;
  /** Version of the auth tables (`auth_users`, `auth_refresh_tokens`) the migrations created; absent before them. */
  auth?: number;
}

/** A warning found while building the model (ignored keywords, guesses). */
export interface ModelWarning {
  /** JSON pointer or DSL position. */
  at: string;
  message: string;
  /** What kind of degradation (kebab-case, stable): `operation-not-crud`, `webhook-not-generated`… */
  code?: string;
  /** What to change in the spec to get rid of the warning. */
  hint?: string;
}

/** The field kinds that have an order (range filters, keyset cursors). */
export const ORDERED_KINDS: ReadonlySet<FieldKind> = new Set([
  'integer',
  'bigint',
  'number',
  'decimal',
  'date',
  'datetime',
]);
