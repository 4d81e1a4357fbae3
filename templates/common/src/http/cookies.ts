import type { ValidateFunction } from 'ajv';
import { AppError } from './errors.js';
import { textProblem } from './request-guards.js';
import { validationFailed } from './validation.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The cookies of a `Cookie` header (`a=1; b=two`), values percent-decoded
 * where they can be. A name given twice keeps its first value, as browsers
 * send the most specific cookie first (RFC 6265 §5.4).
 */
export function cookiesOf(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name || FORBIDDEN_KEYS.has(name) || Object.hasOwn(cookies, name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded text: kept as sent.
    }
    cookies[name] = value;
  }
  return cookies;
}

/**
 * The cookie parameters an operation declares, validated (and coerced, like
 * a query string) by `validate`: 400 `VALIDATION_FAILED` with `in: "cookie"`
 * when one is missing or not valid, or holds NUL or a lone surrogate.
 */
export function cookieInput(header: string | undefined, validate: ValidateFunction): Record<string, unknown> {
  const cookies: Record<string, unknown> = cookiesOf(header);
  for (const [name, value] of Object.entries(cookies)) {
    const problem = textProblem(String(value));
    if (problem) throw new AppError(400, 'VALIDATION_FAILED', 'The request is not valid.', [{ in: 'cookie', field: name, message: problem }]);
  }
  if (!validate(cookies)) throw validationFailed('cookie', validate.errors);
  return cookies;
}
