import { dirname, relative } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorFormat, ErrorFormats, ModelWarning } from './api-model.js';
import { deriveErrorValue, type SampleError, sampleBody } from './error-shape.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { toStandaloneSchema } from './openapi-schema.js';
import { validationStatus } from './validation-status.js';

// ajv-formats is CommonJS: its function is the default export's `default` under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** An operation whose declared error answers are read: its operationId and where it is. */
export interface ErrorOperation {
  operationId: string;
  loc: Located;
}

/** The errors a mapping must express: a validation error naming a field, and one without details. */
const SAMPLES: SampleError[] = [
  {
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'The request is not valid.',
    details: [{ in: 'body', field: 'email', message: 'must match format "email"' }],
  },
  { status: 404, code: 'NOT_FOUND', message: 'Resource not found.' },
];

let ajv: Ajv | undefined;

function ajvInstance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
  }
  return ajv;
}

/** Whether every sample error, mapped by `format`, satisfies the spec's schema. */
function fits(format: Pick<ErrorFormat, 'body' | 'schema'>): boolean {
  try {
    const validate = ajvInstance().compile(format.schema);
    return SAMPLES.every((s) => validate(sampleBody(format.body, s)));
  } catch {
    return false;
  }
}

/**
 * The error bodies the spec declares for each operation's 4xx, 5xx, `4XX`/`5XX` and `default`
 * answers, each as a mapping from tenon's errors (status, code, message, field problems) into
 * the schema, checked with Ajv against samples. A schema no mapping fills is reported (with its
 * pointer) and those answers keep tenon's envelope. Undefined when no answer has a usable schema.
 */
export function errorFormats(
  files: SpecFiles,
  operations: ErrorOperation[],
  warnings: ModelWarning[],
): ErrorFormats | undefined {
  const formats: ErrorFormat[] = [];
  const byKey = new Map<string, number | undefined>();
  const uses: number[] = [];
  const table: ErrorFormats['operations'] = {};
  for (const { operationId, loc } of operations) {
    const op = files.deref(loc);
    if (!isObject(op.node) || !isObject(op.node.responses)) continue;
    for (const [status, response] of Object.entries(op.node.responses)) {
      if (!/^[45](\d\d|XX)$|^default$/.test(status)) continue;
      const r = files.deref({
        node: response,
        file: op.file,
        pointer: child(op.pointer, 'responses', status),
      });
      const content = isObject(r.node) && isObject(r.node.content) ? r.node.content : {};
      const chosen = errorMedia(Object.keys(content));
      if (!chosen) {
        // `*/*` or `application/*` takes the JSON answer: only types that exclude JSON are reported.
        const types = Object.keys(content);
        if (types.length > 0 && !types.some((t) => /^(\*|application)\/\*/.test(t.trim())))
          warnings.push(unservedMedia(files.where(r), types));
        continue;
      }
      const { type: declared, kind } = chosen;
      const media = content[declared];
      const type = declared.split(';')[0]!.trim();
      if (!isObject(media)) continue;
      // A text answer needs no schema (the message is a string); the others are read by their schema.
      if (media.schema === undefined && kind !== 'text') continue;
      const schemaLoc =
        media.schema === undefined
          ? undefined
          : files.deref({
              node: media.schema,
              file: r.file,
              pointer: child(r.pointer, 'content', declared, 'schema'),
            });
      const key = `${type} ${schemaLoc ? `${schemaLoc.file}#${schemaLoc.pointer}` : ''}`;
      if (!byKey.has(key))
        byKey.set(
          key,
          kind === 'text'
            ? textFormat(files, type, schemaLoc, r, formats, warnings)
            : format(files, type, schemaLoc!, formats, warnings),
        );
      const index = byKey.get(key);
      if (index === undefined) continue;
      table[operationId] = { ...table[operationId], [status]: index };
      uses[index] = (uses[index] ?? 0) + 1;
    }
  }
  if (formats.length === 0) return undefined;
  // Statuses an operation does not declare answer in the most used JSON format: never in a YAML or
  // text one another operation declares (-1, tenon's envelope, when the spec declares no JSON one).
  const fallback = uses.reduce(
    (best, n, i) => (isJson(formats[i]!.contentType) && n > (uses[best] ?? 0) ? i : best),
    -1,
  );
  // An operation that answers every error in the fallback needs no entry of its own.
  for (const [id, statuses] of Object.entries(table))
    if (Object.values(statuses).every((i) => i === fallback)) delete table[id];
  return { formats, operations: table, fallback };
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
// YAML 1.2 is a superset of JSON: an error body written as JSON text is a YAML document; and
// `application/octet-stream` (bytes of any kind: swag's `@Produce octet-stream` on a download) holds it too.
const YAML_TYPE = /^(application|text)\/(x-)?yaml$|^application\/[\w.-]+\+yaml$|^application\/octet-stream$/;
const TEXT_TYPE = /^text\/plain$/;

function isJson(contentType: string): boolean {
  return JSON_TYPE.test(contentType);
}

/**
 * The media type an error answer is written in, among those the response declares: JSON first,
 * else YAML or `application/octet-stream` (the mapped body as JSON text), else `text/plain` (the
 * message); undefined when it declares none of them (XML, HTML, images: not written, reported).
 */
export function errorMedia(types: string[]): { type: string; kind: 'json' | 'text' } | undefined {
  const bare = (t: string) => t.split(';')[0]!.trim().toLowerCase();
  const json = types.find((t) => JSON_TYPE.test(bare(t))) ?? types.find((t) => YAML_TYPE.test(bare(t)));
  if (json) return { type: json, kind: 'json' };
  const text = types.find((t) => TEXT_TYPE.test(bare(t)));
  return text ? { type: text, kind: 'text' } : undefined;
}

function unservedMedia(at: string, types: string[]): ModelWarning {
  return {
    at,
    code: 'error-media-not-served',
    message: `this error answer is declared only as ${types.join(', ')}, which tenon does not write errors in: it is answered in the spec's most used JSON error schema (else tenon's envelope).`,
    hint: 'Declare the error answer as JSON (application/json or a +json type), YAML or text/plain too.',
  };
}

/**
 * The format of a `text/plain` error answer: the message, when the declared schema (if any)
 * takes the sample messages; else undefined with a warning.
 */
function textFormat(
  files: SpecFiles,
  contentType: string,
  loc: Located | undefined,
  response: Located,
  formats: ErrorFormat[],
  warnings: ModelWarning[],
): number | undefined {
  let schema: JsonObject = { type: 'string' };
  try {
    if (loc) schema = toStandaloneSchema(files, loc);
  } catch {
    schema = { not: {} };
  }
  const candidate: ErrorFormat = {
    contentType,
    kind: 'text',
    body: { from: 'message' },
    schema,
    source: sourceOf(files, loc ?? response),
  };
  if (!fitsText(schema)) {
    warnings.push({
      at: files.where(loc ?? response),
      code: 'error-schema-not-mapped',
      message: `an error's message does not satisfy this text/plain error schema: its answers keep the spec's most used JSON error schema (else tenon's envelope).`,
      hint: 'Make the text error schema a string without pattern, enum or format.',
    });
    return undefined;
  }
  formats.push(candidate);
  return formats.length - 1;
}

/** Whether every sample error's message satisfies a text answer's schema. */
function fitsText(schema: JsonObject): boolean {
  try {
    const validate = ajvInstance().compile(schema);
    return SAMPLES.every((s) => validate(s.message));
  } catch {
    return false;
  }
}

/** A schema's place for the report: its JSON pointer, prefixed by its file when in another file of the spec. */
function sourceOf(files: SpecFiles, loc: Located): string {
  return loc.file === files.rootFile
    ? loc.pointer
    : `${relative(dirname(files.rootFile), loc.file)}#${loc.pointer}`;
}

/** The format of one declared error schema (its index in `formats`), or undefined with a warning. */
function format(
  files: SpecFiles,
  contentType: string,
  loc: Located,
  formats: ErrorFormat[],
  warnings: ModelWarning[],
): number | undefined {
  const at = files.where(loc);
  let schema: JsonObject;
  try {
    schema = toStandaloneSchema(files, loc);
  } catch {
    warnings.push({
      at,
      code: 'error-schema-not-mapped',
      message: "this error schema refers to itself: its answers keep tenon's error envelope.",
      hint: 'Describe the error body without recursion.',
    });
    return undefined;
  }
  // tenon's own envelope declared by the spec: answered as is.
  if (
    isObject(schema.properties) &&
    schema.properties.success !== undefined &&
    schema.properties.error !== undefined
  )
    return undefined;
  const body = deriveErrorValue(schema);
  // A schema in another file of a multi-file spec is named by its file too (its pointer may be empty).
  const source = sourceOf(files, loc);
  const candidate = body && { contentType, body, schema, source };
  if (!candidate || !fits(candidate)) {
    warnings.push({
      at,
      code: 'error-schema-not-mapped',
      message: `no mapping of tenon's errors (status, code, message, field problems) satisfies this error schema: its answers keep tenon's error envelope.`,
      hint: 'Give the error schema a string property for the message (message, detail, error, title) and make required only properties an error can fill.',
    });
    return undefined;
  }
  formats.push(candidate);
  return formats.length - 1;
}

/**
 * operationId → the status a validation failure answers (`validationStatus`), for the
 * operations where it is not 400; undefined when every operation answers 400.
 */
export function validationStatuses(
  files: SpecFiles,
  operations: ErrorOperation[],
): Record<string, number> | undefined {
  const table: Record<string, number> = {};
  for (const { operationId, loc } of operations) {
    const op = files.deref(loc);
    if (!isObject(op.node) || !isObject(op.node.responses)) continue;
    const status = validationStatus(Object.keys(op.node.responses));
    if (status !== 400) table[operationId] = status;
  }
  return Object.keys(table).length > 0 ? table : undefined;
}
