import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { specErrors } from '../../src/generated/error-format.js';
import type { ErrorFormat, ErrorValue } from '../../src/http/errors.js';
import type { TestResponse } from './test-app.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators = new Map<ErrorFormat, ValidateFunction>();

/**
 * The error body as its format reads it: the text of a text/plain answer, else the JSON value
 * (a YAML answer is JSON text, which the test app does not parse for its media type).
 */
function payload(res: TestResponse, format: ErrorFormat | undefined): unknown {
  if (format?.kind === 'text') return res.text;
  if (res.body !== undefined) return res.body;
  try {
    return JSON.parse(res.text);
  } catch {
    return undefined;
  }
}

/** The error body as text to search: a text answer as it is, else its JSON value written again. */
function asText(res: TestResponse, format: ErrorFormat): string {
  return format.kind === 'text' ? res.text : JSON.stringify(payload(res, format));
}

/** The spec's error formats whose media type and JSON Schema the answer satisfies. */
function matching(res: TestResponse): ErrorFormat[] {
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  return (specErrors?.formats ?? []).filter((f) => {
    if (f.contentType !== type) return false;
    let validate = validators.get(f);
    if (!validate) validators.set(f, (validate = ajv.compile(f.schema)));
    return validate(payload(res, f));
  });
}

/** Whether the answer is tenon's envelope (a spec whose error schemas are none JSON answers it where an operation declares none). */
function isEnvelope(res: TestResponse): boolean {
  return res.body?.success === false && typeof res.body?.error?.code === 'string';
}

/** The paths (property names) at which `value` puts what `is` picks, outside per-problem entries. */
function paths(value: ErrorValue, is: (v: ErrorValue) => boolean, at: string[] = []): string[][] {
  if (is(value)) return [at];
  if ('object' in value) return Object.entries(value.object).flatMap(([k, v]) => paths(v, is, [...at, k]));
  return [];
}

function get(body: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
}

/** Whether a format has room for per-field problems (a list of them, or them keyed by field). */
function namesFields(value: ErrorValue): boolean {
  if ('each' in value || 'byField' in value) return true;
  return 'object' in value && Object.values(value.object).some(namesFields);
}

/**
 * Checks that a failed answer's body is an error body: on the spec's routes (`specRoute`, the
 * default) in one of the error schemas the spec declares — its media type, and a body its JSON
 * Schema accepts — when it declares one; elsewhere, and when it declares none, tenon's envelope.
 */
export function expectErrorBody(res: TestResponse, specRoute = true): void {
  if (specRoute && specErrors && !(specErrors.fallback < 0 && isEnvelope(res))) {
    expect(matching(res), `${res.text} (${String(res.headers['content-type'])}) is in none of the spec's error schemas`).not.toEqual([]);
    return;
  }
  expect(res.body.success).toBe(false);
  expect(typeof res.body.error.code).toBe('string');
  expect(typeof res.body.meta.requestId).toBe('string');
}

/** Whether a format has room for the error's message: its own, or a problem's (a 500 has one problem, the message). */
function carriesMessage(value: ErrorValue): boolean {
  if ('from' in value) return value.from === 'message';
  if ('detail' in value) return value.detail === 'message' || value.detail === 'text';
  if ('each' in value) return carriesMessage(value.each);
  if ('byField' in value) return true;
  return 'object' in value && Object.values(value.object).some(carriesMessage);
}

/**
 * The error body carries `message`: on the spec's routes where its schema has room for a message
 * (`{ reason }` alone has room for the code only), elsewhere as the envelope's `error.message`.
 */
export function expectMessage(res: TestResponse, message: string, specRoute = true): void {
  expectErrorBody(res, specRoute);
  const format = specRoute && specErrors ? matching(res)[0] : undefined;
  if (format) {
    if (carriesMessage(format.body)) expect(asText(res, format)).toContain(message);
    return;
  }
  expect(res.body.error.message).toBe(message);
}

/** The error body names `code` (where its schema has room for tenon's code). */
export function expectCode(res: TestResponse, code: string, specRoute = true): void {
  expectErrorBody(res, specRoute);
  const format = specRoute && specErrors ? matching(res)[0] : undefined;
  if (format) {
    for (const path of paths(format.body, (v) => 'from' in v && v.from === 'code')) expect(get(payload(res, format), path)).toBe(code);
    return;
  }
  expect(res.body.error.code).toBe(code);
}

/** The error body's details name the field (where its schema has room for per-field problems). */
export function expectDetail(res: TestResponse, detail: Record<string, unknown>, specRoute = true): void {
  expectErrorBody(res, specRoute);
  const format = specRoute && specErrors ? matching(res)[0] : undefined;
  if (format) {
    if (typeof detail.field === 'string' && detail.field && namesFields(format.body)) expect(asText(res, format)).toContain(detail.field);
    return;
  }
  expect(res.body.error.details).toContainEqual(expect.objectContaining(detail));
}
