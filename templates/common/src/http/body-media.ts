import { AppError } from './errors.js';
import { fieldsToBody } from './form-body.js';

/** How a value is written in XML (the spec's `xml` objects): element names, attributes, wrapped arrays, types. */
export interface XmlShape {
  name?: string;
  type?: string;
  attribute?: boolean;
  wrapped?: boolean;
  properties?: Record<string, XmlShape>;
  items?: XmlShape;
}

/** Reads and writes XML bodies (src/http/xml-body.ts, in projects whose spec declares XML). */
export interface XmlCodec {
  parse(text: string, shape: XmlShape): unknown;
  serialize(value: unknown, shape: XmlShape): string;
}

/**
 * The media types a CRUD route takes and answers besides JSON, as its spec
 * declares them. Routes without it are JSON only.
 */
export interface RouteMedia {
  /** The request body's media types (JSON always among them, `application/x-www-form-urlencoded`, `multipart/form-data`, XML). */
  body?: readonly string[];
  bodyXml?: XmlShape;
  /** The answer's media types, JSON first: the one sent is chosen by `Accept`. */
  answer?: readonly string[];
  /**
   * The spec declares no JSON answer (tenon adds it last): JSON only when
   * Accept asks for it, and 406 when Accept takes none of the types.
   */
  answerStrict?: boolean;
  answerXml?: XmlShape;
  /**
   * Answer types the handler writes itself (`text/plain`, `text/csv`,
   * `image/png`: operations other than CRUD): its string or bytes are sent as
   * they are, in the chosen type (`application/octet-stream` for `image/*`).
   */
  answerRaw?: readonly string[];
  /** A list's `text/csv` answer: these properties of each row, in this order, under a header line. */
  answerCsv?: readonly string[];
  /** The XML codec, given by routes that read or write XML. */
  xml?: XmlCodec;
}

/** `application/xml`, `text/xml` and `application/<anything>+xml`. */
export function isXmlType(type: string): boolean {
  return /^(?:application|text)\/xml$/i.test(type) || /^application\/[\w.-]+\+xml$/i.test(type);
}

/** `application/json` and `application/<anything>+json`. */
export function isJsonType(type: string): boolean {
  return type === 'application/json' || /\+json$/i.test(type);
}

/**
 * Parses a `multipart/form-data` body into the object its schema describes,
 * as a form is (see `fieldsToBody`): each part's text as its property's type,
 * a repeated part as an array when the property is one, an object property's
 * part as JSON. A file part is read as its text. The parts are split by the
 * runtime's own multipart parser (the Fetch API's `formData()`); a body it
 * cannot read is 400 `BAD_REQUEST`.
 */
export async function parseMultipartBody(bytes: Buffer, contentType: string, schema: object | undefined): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new AppError(400, 'BAD_REQUEST', 'The request body is not valid multipart/form-data.');
  }
  const entries: [string, string][] = [];
  for (const [name, value] of form) entries.push([name, typeof value === 'string' ? value : await value.text()]);
  return fieldsToBody(entries, schema);
}

/**
 * An upload body as its handler gets it: text types (`text/plain`, `text/csv`:
 * Typesense's JSONL imports) as a UTF-8 string, any other type as the bytes.
 */
export function rawBody(bytes: Buffer, contentType: string | undefined): Buffer | string {
  return /^\s*text\//i.test(contentType ?? '') ? bytes.toString('utf8') : bytes;
}

/** One media range of an Accept header. */
interface Range {
  type: string;
  subtype: string;
  q: number;
}

function ranges(accept: string): Range[] {
  return accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';');
    const [type = '', subtype = ''] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() === 'q') q = Number(v);
    }
    return Number.isFinite(q) ? [{ type, subtype, q }] : [];
  });
}

/**
 * The q-value the most specific range gives a media type (0: not acceptable).
 * An offered `image/*` (the spec answers any image) matches every `image/…` range.
 */
function quality(type: string, list: Range[]): number {
  const [t, s] = type.toLowerCase().split('/');
  let best = -1;
  let q = 0;
  for (const r of list) {
    const specificity =
      r.type === t && (r.subtype === s || s === '*') ? 2 : r.type === t && r.subtype === '*' ? 1 : r.type === '*' ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    }
  }
  return q;
}

/**
 * The media type to answer in, among those the route declares (JSON first),
 * by the request's `Accept` and its q-values; ties go to the earlier type.
 * No Accept, or one that takes JSON, answers JSON without parsing anything.
 * When the client accepts none of them: JSON if the spec declares it (an
 * answer the client may not expect beats none); with `strict` (the spec
 * declares no JSON: tenon added it, last) undefined — 406.
 */
export function chooseAnswer(accept: string | undefined, offered: readonly string[], strict = false): string | undefined {
  const first = offered[0]!;
  if (accept === undefined || accept === '' || accept === '*/*' || (accept === first && isJsonType(first))) return first;
  const list = ranges(accept);
  let chosen: string | undefined;
  let best = 0;
  for (const type of offered) {
    const q = quality(type, list);
    if (q > best) {
      best = q;
      chosen = type;
    }
  }
  return chosen ?? (strict ? undefined : offered.find(isJsonType));
}

/** The type an answer chosen as `type` is sent with: a wildcard the spec declares (`image/*`) as `application/octet-stream`. */
export function sentType(type: string): string {
  return type.includes('*') ? 'application/octet-stream' : /^text\//i.test(type) ? `${type}; charset=utf-8` : type;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; objects as JSON. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A list as `text/csv` (RFC 4180): a header line of the properties, then one
 * line per row, CRLF-terminated. `rows` is the JSON answer (serialized by the
 * route's response schema, so it carries exactly the declared properties).
 */
export function toCsv(rows: unknown, columns: readonly string[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of Array.isArray(rows) ? rows : [])
    lines.push(columns.map((c) => csvField((row as Record<string, unknown> | null)?.[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The answer in the type `Accept` chose: JSON as it is (undefined: the caller
 * sends it as application/json; another JSON type the spec names is sent in it), XML written by the spec's `xml` objects, a list as CSV,
 * or the handler's own string or bytes. `json` gives the payload as JSON text
 * serialized by the route's response schema (called for XML, CSV and JSON types besides application/json).
 */
export function renderAnswer(
  type: string,
  media: RouteMedia,
  payload: unknown,
  json: () => string,
): { type: string; body: string | Buffer } | undefined {
  // A JSON type the spec names (`application/vnd.api+json`) is sent as it is named, without parameters
  // (JSON:API forbids a charset; as bytes, which Fastify sends without adding one); application/json
  // is the caller's to send.
  if (isJsonType(type)) return type === 'application/json' ? undefined : { type, body: Buffer.from(json()) };
  if (media.answerRaw?.includes(type)) {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload))
      // A programming error of the handler: answered 500 and logged.
      throw new TypeError(`The handler must return a string or a Buffer to answer ${type}.`);
    return { type: sentType(type), body: payload };
  }
  if (media.answerCsv && type === 'text/csv') return { type: sentType(type), body: toCsv(JSON.parse(json()), media.answerCsv) };
  return { type: `${type}; charset=utf-8`, body: media.xml!.serialize(JSON.parse(json()), media.answerXml!) };
}

/** 406 `NOT_ACCEPTABLE`, naming what the route answers. */
export function notAcceptable(offered: readonly string[]): AppError {
  return new AppError(406, 'NOT_ACCEPTABLE', `The answer is available as ${offered.join(' or ')} only; accept one of them.`);
}

/**
 * Which way a request body in `contentType` is read, when the route's spec
 * declares that type: `json`, `form`, `multipart` or `xml`; undefined when
 * the spec does not declare it (415).
 */
export function bodyKind(contentType: string | undefined, declared: readonly string[]): 'json' | 'form' | 'multipart' | 'xml' | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // application/json is taken wherever the spec declares a JSON type (`application/merge-patch+json`):
  // tenon's clients and generated tests speak it.
  const json = type === 'application/json' && declared.some(isJsonType);
  if (!json && !declared.some((d) => d.toLowerCase() === type)) return undefined;
  if (isJsonType(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data') return 'multipart';
  return isXmlType(type) ? 'xml' : undefined;
}
