/**
 * The internal model every input (OpenAPI 3.0/3.1, the resource DSL) is
 * turned into, and every generated file is rendered from. It is plain data
 * (JSON-serializable) so it can be stored in `.tenon/model.json` and
 * compared with the next generation's model to write migrations.
 */

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
export interface CrudOperations {
  list: boolean;
  create: boolean;
  read: boolean;
  update: boolean;
  patch: boolean;
  delete: boolean;
}

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

/** How one CRUD operation answers when the spec decides it. */
export interface ServedAnswer {
  /** The success status the spec declares (`201`, or `200` where the spec says so). */
  status: number;
  /** The status of a validation failure when it is not 400: 422 where the spec declares 422 and no 400. */
  invalid?: number;
  /** True when the spec leaves the body open or declares tenon's envelope; false: the bare item or array. */
  envelope: boolean;
  /**
   * A bare answer the spec declares in more types than JSON: the types served,
   * JSON ones first, the rest in the spec's order, chosen by the request's
   * `Accept`. CRUD answers: XML (and `text/csv` for a list), written from the
   * rows; other operations: XML, and any other type (`raw`) the handler writes.
   */
  types?: string[];
  /** How the answer is written in XML, when the spec declares XML (`application/xml`, `text/xml`, `+xml`). */
  xml?: XmlShape;
  /** Operations other than CRUD: the types whose body the handler returns itself (`Buffer | string`): `text/plain`, `image/png`. */
  raw?: string[];
  /** A list the spec declares as `text/csv` too: the columns, the properties its items declare (empty: the resource's readable ones). */
  csv?: string[];
  /** CRUD answers: the types the spec declares that cannot be written from rows (`image/png`): not served (reported). */
  notServed?: string[];
  /**
   * DELETE only, when the spec answers a JSON object (resend's `{ object, id, deleted }`):
   * its properties in the spec's order, each with the value the spec fixes
   * (`const`, `example`, `default`, an enum's first value, the zero of a
   * required one's type), if any. A property the removed row has is answered
   * from the row.
   */
  removed?: { name: string; required: boolean; value?: unknown }[];
  /** A list the spec answers as a page object (`{ object, page, items }`): how it is written (list-page.ts). */
  page?: PageShape;
  /** Create, read, update, patch: the spec wraps the row under this key (`{ "article": row }`, openapi-wrapper.ts). */
  wrap?: string;
}

/** One property of a page answer: the items, a value of the page, a value the spec fixes, or an object of those. */
export type PageValue =
  | {
      name: string;
      from: 'items' | 'total' | 'limit' | 'page' | 'hasNext' | 'hasPrev' | 'nextCursor' | 'prevCursor';
      /** The spec does not allow null here: a missing cursor is written as `''`. */
      notNull?: boolean;
    }
  | { name: string; value: unknown }
  | { name: string; of: PageValue[] };

/** A list answer declared as a page object. */
export interface PageShape {
  /** The property holding the array of items. */
  items: string;
  values: PageValue[];
  /** JSON Schemas of the other top-level properties, as the spec declares them (serialization). */
  schemas: Record<string, Record<string, unknown>>;
  required?: string[];
  /**
   * The envelope property the page object sits in (listmonk's `{ data: { results, total, page } }`):
   * `items` is then its property, and `schemas`/`required` here are the page object's own.
   */
  within?: { name: string; schemas: Record<string, Record<string, unknown>>; required?: string[] };
}

/** The spec's own routes of a resource. */
export interface ServedResource {
  /** Route of the collection (`/v2/pets`), framework syntax (`:key`), when the spec has one. */
  collection?: string;
  /** Route of one item (`/v2/pets/:id`), when the spec has one. */
  item?: string;
  /** The name of the item's path key (`id`, `eventId`). */
  key: string;
  /**
   * The spec declares the key a string of no format, pattern or enum (resend's `{identifier}`:
   * "the event ID (UUID) or event name"): any text is a valid request, and one a uuid id cannot
   * be names no row (404), not a malformed request (400).
   */
  keyAnyString?: boolean;
  answers: Partial<Record<keyof CrudOperations, ServedAnswer>>;
  /** The query parameters the spec declares on the list operation (validated as written). */
  listQuery?: OperationParameter[];
  /** The query parameters the spec declares on GET by key (validated as written, handed to nothing). */
  readQuery?: OperationParameter[];
  /**
   * Per operation, the header and cookie parameters the spec declares, and the
   * query parameters of create, update, patch and delete (validated as written).
   */
  parameters?: Partial<Record<keyof CrudOperations, OperationParameter[]>>;
  /**
   * Create, update and patch bodies the spec declares in media types besides
   * JSON: the ones served (JSON, `application/x-www-form-urlencoded`,
   * `multipart/form-data`, XML), as written, and how an XML body is read.
   * Absent for an operation: JSON only.
   */
  bodyMedia?: Partial<Record<'create' | 'update' | 'patch', { types: string[]; xml?: XmlShape }>>;
  /** The request bodies the spec declares for create (POST), update (PUT) and patch (PATCH). */
  bodies?: Partial<Record<'create' | 'update' | 'patch', ServedBody>>;
  /**
   * PUT creates the row when its key names none (the spec declares 201 for it, or no POST create
   * on the collection: Typesense's "create or update"): the status of such an answer. Absent: a
   * PUT on a missing key is 404.
   */
  putCreates?: number;
  /**
   * PATCH declares no request body, or one without `required: true` (OpenAPI's
   * default): a request without a body is valid, and changes nothing.
   */
  patchBodyOptional?: boolean;
  /**
   * Create, update and patch bodies the spec wraps under a key (`{ "article": {…} }`): the key.
   * The wrapper is validated as the spec declares it; the object under the key is the row's fields.
   */
  wrapBodies?: Partial<Record<'create' | 'update' | 'patch', string>>;
}

/**
 * How a value is written in XML (OpenAPI's `xml` object): the element name
 * where it is not the property's, attributes, wrapped arrays, and the type
 * its text is read as.
 */
export interface XmlShape {
  name?: string;
  type?: string;
  attribute?: boolean;
  wrapped?: boolean;
  properties?: Record<string, XmlShape>;
  items?: XmlShape;
}

/** What one operation's request body accepts, in terms of the resource's fields. */
export interface ServedBody {
  /** The fields it declares (readOnly ones left out). */
  properties: string[];
  /** The fields it requires. */
  required: string[];
  minProperties?: number;
  maxProperties?: number;
  /**
   * JSON properties (stored as `jsonb`) whose schema in this body differs
   * from the answers' (resend's `to`: a string or a list on send, a list in
   * the email): validated as this body declares them.
   */
  schemas?: Record<string, Record<string, unknown>>;
  /**
   * The body declares the resource's key (`id`, or the spec's `eventId`) and
   * does not mark it readOnly: the client may send it. On create its value
   * is the primary key (see `clientKey`); on update and patch it is accepted
   * and not stored (the path names the row; a key does not change).
   */
  key?: { schema: Record<string, unknown>; required: boolean };
  /**
   * The server-set timestamps (`created_at`, `updated_at`) the body declares, with their schemas:
   * accepted and validated as declared, never stored (the database keeps its own).
   */
  ignored?: Record<string, Record<string, unknown>>;
}

/**
 * Where a part of an error body comes from: the HTTP status, tenon's code, the message, the
 * status's title, the time, a fixed value, the spec's enum value closest to tenon's code (`byCode`), an object of such parts, one entry per field
 * problem (`each`, whose `detail` parts read that problem: its field, JSON pointer, part,
 * message, or `field: message` text), or the problems keyed by field (`byField`).
 */
export type ErrorValue =
  | { from: 'status' | 'code' | 'message' | 'title' | 'now' }
  | { value: unknown }
  | { byCode: Record<string, unknown>; otherwise: unknown }
  | { object: Record<string, ErrorValue> }
  | { each: ErrorValue }
  | { detail: 'field' | 'pointer' | 'in' | 'message' | 'text' }
  | { byField: 'list' | 'one' };

/** One error body the spec declares: its media type and how tenon's errors fill it. */
export interface ErrorFormat {
  /** The media type of the error answer (`application/json`, `application/problem+json`). */
  contentType: string;
  body: ErrorValue;
  /** The standalone JSON Schema the body satisfies (checked by the generated tests). */
  schema: Record<string, unknown>;
  /** Where the schema was found (JSON pointer; `file#pointer` when in another file of the spec), for the report. */
  source: string;
}

/** The spec's error bodies: the formats, and which one each operation answers for each status. */
export interface ErrorFormats {
  formats: ErrorFormat[];
  /** operationId → status (`404`, `4XX`, `default`) → index into `formats`. */
  operations: Record<string, Record<string, number>>;
  /** The most used format: statuses an operation does not declare answer in it. */
  fallback: number;
}

/** How an OpenAPI project is served (absent for resource-DSL projects: tenon's conventions). */
export interface ServingModel {
  /** `spec`: the spec's paths under `base`, its answers and error schema; `conventions`: `/api/v1` and the envelope (`--conventions`). */
  mode: 'spec' | 'conventions';
  /** The path of `servers[0].url` (`/v2`), or `''`. */
  base: string;
  /** The spec's error bodies, when it declares some that are not the envelope. */
  errors?: ErrorFormats;
  /** operationId → the status a validation failure answers, for operations where it is not 400 (`validationStatus`). */
  invalid?: Record<string, number>;
}

/** A parameter of a non-CRUD operation. */
export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Record<string, unknown>;
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
