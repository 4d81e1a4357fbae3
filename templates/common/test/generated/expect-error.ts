import { expect } from 'vitest';
import { specErrorFormat } from '../../src/generated/error-format.js';
import type { TestResponse } from './test-app.js';

/**
 * Checks that a failed answer's body is an error body: on the spec's routes
 * (`specRoute`, the default) in the spec's error schema when it declares one,
 * every property carrying what it should (the status, the code, a message);
 * elsewhere, and when the spec declares none, tenon's envelope.
 */
export function expectErrorBody(res: TestResponse, specRoute = true): void {
  if (specRoute && specErrorFormat) {
    for (const [name, p] of Object.entries(specErrorFormat.properties)) {
      if ('value' in p) expect(res.body[name]).toEqual(p.value);
      else if (p.from === 'status') expect(res.body[name]).toBe(res.status);
      else if (p.from === 'details') expect(Array.isArray(res.body[name])).toBe(true);
      else expect(typeof res.body[name]).toBe('string');
    }
    return;
  }
  expect(res.body.success).toBe(false);
  expect(typeof res.body.error.code).toBe('string');
  expect(typeof res.body.meta.requestId).toBe('string');
}

/** The error body names `code` (where its schema has room for tenon's code). */
export function expectCode(res: TestResponse, code: string, specRoute = true): void {
  expectErrorBody(res, specRoute);
  if (specRoute && specErrorFormat) {
    for (const [name, p] of Object.entries(specErrorFormat.properties))
      if ('from' in p && p.from === 'code') expect(res.body[name]).toBe(code);
    return;
  }
  expect(res.body.error.code).toBe(code);
}

/** The error body's details name the field (where its schema has room for details). */
export function expectDetail(res: TestResponse, detail: Record<string, unknown>, specRoute = true): void {
  expectErrorBody(res, specRoute);
  if (specRoute && specErrorFormat) return;
  expect(res.body.error.details).toContainEqual(expect.objectContaining(detail));
}
