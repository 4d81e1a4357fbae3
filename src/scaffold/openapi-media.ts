import type { XmlShape } from './api-model.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { refName, xmlShape } from './xml-shape.js';

/** `application/xml`, `text/xml` and `+xml` types (not `application/problem+xml`'s error answers: only 2xx ones are asked). */
export function isXml(type: string): boolean {
  return /^(application|text)\/xml$/i.test(type) || /^application\/[\w.-]+\+xml$/i.test(type);
}

/** The request body media types a CRUD operation serves: JSON, forms, multipart and XML. */
export function servedBodyType(type: string): boolean {
  return (
    type === 'application/json' ||
    /\+json$/.test(type) ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'multipart/form-data' ||
    isXml(type)
  );
}

/**
 * The schema a content map (`at` is the request body or response holding it)
 * serves: JSON's; else, for a body the spec declares only as XML, a form or
 * multipart, that of the first type served. Undefined when there is none.
 */
export function contentSchema(content: JsonObject, at: Located): Located | undefined {
  const type =
    Object.keys(content).find((t) => t === 'application/json' || /\+json$/.test(t)) ??
    Object.keys(content).find(servedBodyType);
  const media = type ? content[type] : undefined;
  if (!isObject(media) || media.schema === undefined) return undefined;
  return { node: media.schema, file: at.file, pointer: child(at.pointer, 'content', type!, 'schema') };
}

/**
 * An operation's request body (`$ref` followed: where it is, for pointers) and its `content` map
 * (`{}` when it declares none); undefined when the operation has no body.
 */
export function requestBodyContent(
  files: SpecFiles,
  op: Located<JsonObject>,
): { content: JsonObject; body: Located } | undefined {
  if (op.node.requestBody === undefined) return undefined;
  const body = files.deref({
    node: op.node.requestBody,
    file: op.file,
    pointer: child(op.pointer, 'requestBody'),
  });
  return { content: isObject(body.node) && isObject(body.node.content) ? body.node.content : {}, body };
}

/** The JSON schema of an operation's request body (see {@link contentSchema}), if it has one. */
export function requestBodySchema(files: SpecFiles, op: Located<JsonObject>): Located | undefined {
  const found = requestBodyContent(files, op);
  return found && contentSchema(found.content, found.body);
}

/**
 * The media types a create, update or patch body is served in, when the spec
 * declares more than `application/json` (absent: that only) — other JSON types
 * too (`application/merge-patch+json`, `application/vnd.api+json`: read and
 * validated as JSON, and 415 unless declared) —, and how its XML is read.
 */
export function bodyMediaOf(
  files: SpecFiles,
  op: Located<JsonObject>,
): { types: string[]; xml?: XmlShape } | undefined {
  const found = requestBodyContent(files, op);
  if (found === undefined) return undefined;
  const { content, body } = found;
  const types = Object.keys(content).filter(servedBodyType);
  if (types.every((t) => t === 'application/json')) return undefined;
  const xml = types.find(isXml);
  if (!xml) return { types };
  const media = content[xml];
  const at = {
    node: isObject(media) ? (media.schema ?? {}) : {},
    file: body.file,
    pointer: child(body.pointer, 'content', xml, 'schema'),
  };
  return { types, xml: xmlShape(files, at, refName(at.node)) };
}
