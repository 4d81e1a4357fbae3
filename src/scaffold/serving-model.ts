/**
 * How an OpenAPI project is served as its spec declares (spec serving): the answers, routes,
 * bodies, parameters and error bodies of the spec, part of the model in api-model.ts. Plain data,
 * stored in `.tenon/model.json` with the rest of the model.
 */

/** The name of one of the six CRUD operations. */
export type CrudOperationName = 'list' | 'create' | 'read' | 'update' | 'patch' | 'delete';

/** A parameter of a non-CRUD operation. */
export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Record<string, unknown>;
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
  /**
   * The JSON type the spec declares the answer in when it declares no `application/json`
   * (`application/vnd.api+json`, `application/hal+json`): the answer is sent in it.
   */
  jsonType?: string;
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
  /**
   * PUT and PATCH only, when the spec answers an object that is not the resource (karakeep's
   * `{ success: boolean }`, ack-answer.ts): its properties as for `removed`, answered instead of the row.
   */
  ack?: { name: string; required: boolean; value?: unknown }[];
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

/** An operation's answer item written from the row as GET answers it: its own properties, some derived. */
export interface AnswerShape {
  /** The answer item's serialization schema: the declared properties the row gives. */
  schema: Record<string, unknown>;
  /** Properties derived from the row's: ids from embedded objects (`ids`), or objects `{ id }` from ids (`objects`). */
  derive?: Record<string, 'ids' | 'objects'>;
  /** Declared optional properties the row cannot give (none of it, or not in the declared type): left out. */
  omitted?: string[];
}

/** The operations whose answer may be written in a shape of its own (answer-shapes.ts). */
export type ShapedKind = 'create' | 'update' | 'patch' | 'list';

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
  answers: Partial<Record<CrudOperationName, ServedAnswer>>;
  /**
   * Create, update and patch answers the spec declares in a schema of their own, not GET's item
   * (listmonk's `CampaignUpdate`), and list items of a closed schema of their own (a summary of the
   * row): how each is written from the row as GET answers it (answer-shapes.ts).
   */
  shapes?: Partial<Record<ShapedKind, AnswerShape>>;
  /** The query parameters the spec declares on the list operation (validated as written). */
  listQuery?: OperationParameter[];
  /** The query parameters the spec declares on GET by key (validated as written, handed to nothing). */
  readQuery?: OperationParameter[];
  /**
   * Per operation, the header and cookie parameters the spec declares, and the
   * query parameters of create, update, patch and delete (validated as written).
   */
  parameters?: Partial<Record<CrudOperationName, OperationParameter[]>>;
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
  key?: {
    schema: Record<string, unknown>;
    required: boolean;
    /**
     * The create body requires the key and no operation names a row by it (Discourse's
     * `POST /post_actions.json`, `id`: the post to act on): it names another row, not the new
     * one. Validated as declared and not stored; the server sets the row's key.
     */
    reference?: true;
  };
  /**
   * The server-set timestamps (`created_at`, `updated_at`) the body declares, and properties whose
   * type the stored column cannot hold (`property-type-conflict`), with their schemas: accepted and
   * validated as declared, never stored.
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
  | { detail: 'field' | 'pointer' | 'in' | 'message' | 'text' | 'loc' }
  | { byField: 'list' | 'one' };

/** One error body the spec declares: its media type and how tenon's errors fill it. */
export interface ErrorFormat {
  /** The media type of the error answer (`application/json`, `application/problem+json`, `application/x-yaml`, `text/plain`). */
  contentType: string;
  /** `text`: the message alone, as text (`text/plain`); else the body as JSON text (a YAML document too, for YAML types). */
  kind?: 'text';
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
  /** The most used JSON format: statuses an operation does not declare answer in it (-1: tenon's envelope). */
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
  /** The 200 answers of the project's own health checks, when the spec declares those routes (own-route-answers.ts). */
  health?: HealthAnswers;
}

/** The 200 answer of each of the project's health checks that the spec declares itself. */
export interface HealthAnswers {
  live?: HealthAnswer;
  ready?: HealthAnswer;
}

/** A health check's answer as the spec declares it: its media type and body (JSON, or a string of text). */
export interface HealthAnswer {
  media: string;
  body: unknown;
}
