import { STATUS_CODES } from 'node:http';

/** One problem with one field of a request. */
export interface ErrorDetail {
  /** Where: `body`, `query`, `params` or `headers`. */
  in: string;
  /** Dotted path of the field inside it (`price`, `items.0.sku`); empty for the whole part. */
  field: string;
  message: string;
}

/** The error envelope every failed request answers with. */
export interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string; details?: ErrorDetail[] };
  meta: { requestId: string };
}

/**
 * An error that becomes an HTTP response: status, a stable code, a message
 * safe to show to clients, and optional per-field details. Anything thrown
 * that is not an AppError is answered as a 500 without its message.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The most per-field details an answer lists: 10,000 unknown keys must not make a 600 KB answer. */
export const MAX_DETAILS = 20;

/**
 * The 400 of an invalid request: the first {@link MAX_DETAILS} problems as details, and how many
 * there are in the message when there are more.
 */
export function invalidRequest(details: ErrorDetail[]): AppError {
  if (details.length <= MAX_DETAILS) return new AppError(400, 'VALIDATION_FAILED', 'The request is not valid.', details);
  const message = `The request is not valid: ${details.length} problems, the first ${MAX_DETAILS} listed.`;
  return new AppError(400, 'VALIDATION_FAILED', message, details.slice(0, MAX_DETAILS));
}

export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new AppError(400, 'VALIDATION_FAILED', message, details);
export const notFound = (what = 'Resource') => new AppError(404, 'NOT_FOUND', `${what} not found.`);
export const conflict = (message: string, details?: ErrorDetail[]) => new AppError(409, 'CONFLICT', message, details);
export const notImplemented = (operation: string) =>
  new AppError(501, 'NOT_IMPLEMENTED', `${operation} is not implemented yet.`);
/** 415: the route takes another media type (the one the spec declares for its body). */
export const unsupportedMediaType = (expected: string) =>
  new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `The content type is not supported; send ${expected}.`);
export const unavailable = (message = 'The service is temporarily unavailable.') =>
  new AppError(503, 'SERVICE_UNAVAILABLE', message, undefined, { 'retry-after': '1' });

/** Builds the error envelope. */
export function errorEnvelope(error: AppError, requestId: string): ErrorEnvelope {
  return {
    success: false,
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    meta: { requestId },
  };
}

/**
 * The error PostgreSQL raises for a reference to a row that does not exist
 * (23503 on `constraint`), made by the data layer for a reference to a row
 * outside the caller's scope: both answer the same 400, so a caller cannot
 * tell another user's row from a missing one.
 */
export function missingReference(constraint: string): Error {
  return Object.assign(new Error(`insert or update violates foreign key constraint "${constraint}"`), { code: '23503', constraint });
}

/** Which field a named constraint protects, for messages that point at the field. */
export type ConstraintFields = Record<string, { field: string; resource: string; kind: 'unique' | 'fk' | 'check' }>;

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/**
 * Translates a PostgreSQL error into an AppError when it is the client's
 * doing (duplicate, missing reference, out-of-range value) or a transient
 * overload (timeouts); returns undefined for real server errors.
 */
export function fromDatabaseError(error: unknown, constraints: ConstraintFields, operation: 'write' | 'delete'): AppError | undefined {
  const e = error as PgError;
  const known = e.constraint ? constraints[e.constraint] : undefined;
  const details = known ? [{ in: 'body', field: known.field, message: '' }] : undefined;
  switch (e.code) {
    case '23505':
      if (details) details[0]!.message = 'is already used by another record';
      return conflict('A record with the same unique value already exists.', details);
    case '23503':
      if (operation === 'delete') return conflict('The record is still referenced by other records.');
      if (details) details[0]!.message = `refers to a ${known!.resource} that does not exist`;
      return badRequest('A referenced record does not exist.', details);
    case '23514':
    case '23502':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
    case '22021':
    case '22P05':
    case '22023':
    case '54000':
      if (details) details[0]!.message = 'is not an accepted value';
      return badRequest('A value is out of range or malformed.', details);
    case '57014':
    case '55P03':
    case '40001':
    case '40P01':
      return unavailable('The database did not answer in time.');
    case '53300':
    case '57P01':
    case '57P03':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EPIPE':
      return unavailable('The database is not reachable.');
    default:
      // pg's pool timeout, its client-side query timeout and a connection lost mid-query carry no code, only a message.
      if (/timeout exceeded when trying to connect|Query read timeout|ECONNREFUSED|Connection terminated|Connection ended/.test(e.message ?? '')) {
        return unavailable('The database is not reachable.');
      }
      return undefined;
  }
}

/**
 * Where a part of a spec's error body comes from: the status, the code, the message, the
 * status's title, the time, a fixed value, the spec's code closest to the app's (`byCode`), an
 * object of parts, one entry per field problem (`each`, whose `detail` parts read that problem),
 * or the problems keyed by field (`byField`).
 * Derived from the spec at generation time (`src/generated/error-format.ts`).
 */
export type ErrorValue =
  | { from: 'status' | 'code' | 'message' | 'title' | 'now' }
  | { value: unknown }
  | { byCode: Record<string, unknown>; otherwise: unknown }
  | { object: Record<string, ErrorValue> }
  | { each: ErrorValue }
  | { detail: 'field' | 'pointer' | 'in' | 'message' | 'text' | 'loc' }
  | { byField: 'list' | 'one' };

/** One error body the spec declares: its media type, how errors fill it, and its JSON Schema. */
export interface ErrorFormat {
  contentType: string;
  /** `text`: the message alone, as text; else the body as JSON text (YAML types included). */
  kind?: 'text';
  body: ErrorValue;
  schema: Record<string, unknown>;
}

/** The problems of an error; an error without any is one problem of the whole request. */
function problems(error: AppError): ErrorDetail[] {
  return error.details?.length ? error.details : [{ in: '', field: '', message: error.message }];
}

/** The field a problem is about: its dotted path, or the part (`query`) for the whole part. */
function label(d: ErrorDetail): string {
  return d.field || d.in || 'request';
}

function detailPart(what: string, d: ErrorDetail): unknown {
  // FastAPI's `loc`: the part, then the field's path (`["body", "title"]`); none for the whole request.
  if (what === 'loc') return d.in ? [d.in, ...d.field.split('.').filter(Boolean)] : [];
  if (what === 'pointer') {
    // A JSON pointer into the body; a parameter is named as it is.
    if (d.in !== 'body') return label(d);
    return `/${d.field.split('.').filter(Boolean).map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  }
  if (what === 'field') return label(d);
  if (what === 'in') return d.in;
  if (what === 'message') return d.message;
  return d.field || d.in ? `${label(d)}: ${d.message}` : d.message;
}

/** The error in one of the spec's formats. */
export function formatError(error: AppError, value: ErrorValue, detail?: ErrorDetail): unknown {
  if ('value' in value) return value.value;
  if ('byCode' in value)
    return Object.hasOwn(value.byCode, error.code) ? value.byCode[error.code] : value.otherwise;
  if ('from' in value) {
    if (value.from === 'status') return error.status;
    if (value.from === 'code') return error.code;
    if (value.from === 'title') return STATUS_CODES[error.status] ?? 'Error';
    if (value.from === 'now') return new Date().toISOString();
    return error.message;
  }
  if ('detail' in value) return detailPart(value.detail, detail ?? problems(error)[0]!);
  if ('each' in value) return problems(error).map((d) => formatError(error, value.each, d));
  if ('byField' in value) {
    // Keys are the client's field names: `__proto__` or `constructor` must be own keys, not
    // Object.prototype's (`body.constructor ??= []` would find the function and push to it).
    const body: Record<string, unknown> = Object.create(null);
    for (const d of problems(error)) {
      const key = label(d);
      if (value.byField === 'one') body[key] ??= d.message;
      else ((body[key] ??= []) as string[]).push(d.message);
    }
    return body;
  }
  const body: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value.object)) body[name] = formatError(error, v, detail);
  return body;
}
