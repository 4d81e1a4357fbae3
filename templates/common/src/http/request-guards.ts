import { AppError, type ErrorDetail, invalidRequest } from './errors.js';

/** Keys that could reach `Object.prototype` if a body were ever merged into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// UTF-16 halves without their other half: not valid UTF-8, so not storable text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// String.prototype.isWellFormed (Node 20+) checks for lone surrogates in native code.
const wellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** Why a string cannot be stored, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  // PostgreSQL refuses NUL in text values.
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  const ok = wellFormed ? wellFormed.call(value) : !LONE_SURROGATE.test(value);
  return ok ? undefined : 'must be valid Unicode (a lone surrogate was found)';
}

function invalid(where: string, field: string, message: string): AppError {
  return new AppError(400, 'VALIDATION_FAILED', 'The request is not valid.', [{ in: where, field, message }]);
}

// `path` is one array pushed and popped during the walk; it is joined only for an error.
function check(value: unknown, path: string[], maxDepth: number): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) throw invalid('body', path.join('.'), problem);
    return;
  }
  if (typeof value === 'number') {
    // JSON.parse turns 1e309 into Infinity and 2^53+1 into 2^53: neither is what the client sent.
    if (!Number.isFinite(value)) throw invalid('body', path.join('.'), 'is too large a number');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw invalid('body', path.join('.'), 'is outside the exactly representable integers (±9007199254740991)');
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (path.length >= maxDepth) throw invalid('body', path.join('.'), `nests deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      check(value[i], path, maxDepth);
      path.pop();
    }
    return;
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key)) throw invalid('body', [...path, key].join('.'), 'is a forbidden property name');
    const problem = textProblem(key);
    if (problem) throw invalid('body', path.join('.'), `has a property name that ${problem}`);
    path.push(key);
    check((value as Record<string, unknown>)[key], path, maxDepth);
    path.pop();
  }
}

/**
 * 415 for a request body sent with a content coding (`Content-Encoding: gzip`, `deflate`, `br`…),
 * undefined for none or `identity`. No spec declares a request coding, so none is taken, in both
 * frameworks alike: Fastify parsed a body labelled gzip as if it were plain and Express inflated
 * it, so a firewall that lets compressed bodies through unread, and the app, saw different
 * things. RFC 9110 §15.5.16: 415, with `Accept-Encoding` naming what is taken.
 */
export function contentCodingError(headers: Readonly<Record<string, string | string[] | undefined>>): AppError | undefined {
  const coding = headers['content-encoding'];
  if (coding === undefined) return undefined;
  const codings = (Array.isArray(coding) ? coding.join(',') : coding).split(',').map((c) => c.trim().toLowerCase());
  if (codings.every((c) => c === '' || c === 'identity')) return undefined;
  return new AppError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `The request body's content coding (${codings.filter((c) => c !== '' && c !== 'identity').join(', ')}) is not supported; send it uncompressed.`.slice(0, 200),
    undefined,
    { 'accept-encoding': 'identity' },
  );
}

/**
 * Parses a JSON request body and refuses, with 400 naming the field, what
 * would otherwise surprise the code or the database later: nesting deeper
 * than `maxDepth`, `__proto__` / `constructor` / `prototype` keys at any
 * level, NUL characters and lone surrogates in strings, and numbers JSON.parse
 * cannot keep exactly (1e309, integers beyond 2^53-1). A leading UTF-8 byte
 * order mark is ignored (RFC 8259 §8.1 allows it); an empty body is no body.
 */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AppError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  check(value, [], maxDepth);
  return value;
}

/**
 * The body of an `application/json` request whose schema is a string
 * (Typesense's `POST /stemming/dictionaries/import`: a JSONL file, whose
 * example is the file's text): a JSON string is its value; any other text is
 * taken as the string itself, as the spec's example sends it (and as a
 * validating proxy forwards a JSON string) — never 400 `INVALID_JSON` for a
 * body its spec shows. The body limit applies as to any body; the schema's
 * own limits (`maxLength`, `pattern`) are checked by validation.
 */
export function parseJsonText(text: string): string {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^\s*"/.test(json)) {
    try {
      const value: unknown = JSON.parse(json);
      if (typeof value === 'string') return value;
    } catch {
      // Not one JSON string (JSONL lines that start with a string): the text itself.
    }
  }
  return json;
}

/** Whether a route's body schema is a string: its `application/json` body is read by {@link parseJsonText}. */
export function isTextSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'string';
}

/**
 * Checks path and query parameters: a parameter given twice is refused
 * (`?limit=1&limit=500` would otherwise depend on which one a layer reads),
 * as are forbidden names, NUL characters and lone surrogates. Keys in
 * `repeatable` are arrays the spec sends exploded (`?tags=a&tags=b`): they may repeat.
 */
export function checkParameters(
  where: 'query' | 'params',
  values: Record<string, unknown> | undefined,
  repeatable?: ReadonlySet<string>,
): void {
  if (!values) return;
  const details: ErrorDetail[] = [];
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (FORBIDDEN_KEYS.has(key)) details.push({ in: where, field: key, message: 'is a forbidden parameter name' });
    else if (Array.isArray(value) && !repeatable?.has(key)) details.push({ in: where, field: key, message: 'is given more than once' });
    else if (Array.isArray(value)) {
      for (const item of value) {
        const problem = typeof item === 'string' ? textProblem(item) : undefined;
        if (problem) details.push({ in: where, field: key, message: problem });
      }
    } else if (typeof value === 'string') {
      const problem = textProblem(value) ?? textProblem(key);
      if (problem) details.push({ in: where, field: key, message: problem });
    }
  }
  if (details.length) throw invalidRequest(details);
}
