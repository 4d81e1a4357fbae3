import { randomUUID } from 'node:crypto';
import type { ScenarioVars } from './scenario-schema.js';

/** Raised while rendering when a template names a variable the virtual user does not have. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`no variable "${variable}"`);
  }
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}\s]+)\s*\}\}$/;

/**
 * The value of `name` for a virtual user: a variable, a dotted path into one
 * (`user.email` for a data row), or a built-in: `$uuid` (new each time),
 * `$now` (epoch ms), `$randomInt` (0 to 999,999).
 *
 * @throws MissingVariableError when nothing has that name.
 */
export function lookupVariable(vars: ScenarioVars, name: string): unknown {
  if (name === '$uuid') return randomUUID();
  if (name === '$now') return Date.now();
  if (name === '$randomInt') return Math.floor(Math.random() * 1_000_000);
  let value: unknown = vars;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
      throw new MissingVariableError(name);
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined) throw new MissingVariableError(name);
  return value;
}

function asText(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

/**
 * Replaces every `{{name}}` in `text` with the variable's value (objects as
 * JSON). Text without placeholders is returned as is.
 *
 * @throws MissingVariableError
 */
export function renderTemplate(text: string, vars: ScenarioVars): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (_, name: string) => asText(lookupVariable(vars, name)));
}

/**
 * Renders the string leaves of a JSON value. A leaf that is exactly one
 * placeholder takes the variable's own value, so `"{{productId}}"` stays a
 * number when the variable is one.
 *
 * @throws MissingVariableError
 */
export function renderJson(value: unknown, vars: ScenarioVars): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    return whole ? lookupVariable(vars, whole[1]!) : renderTemplate(value, vars);
  }
  if (Array.isArray(value)) return value.map((v) => renderJson(v, vars));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderJson(v, vars);
    return out;
  }
  return value;
}
