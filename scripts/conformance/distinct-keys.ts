import type { OracleRequest } from './build-request.js';
import { keyProperty } from './created-objects.js';
import type { Spec, SpecOperation } from './spec-reader.js';

/** The path-key properties of the objects a create makes: `code` of `POST /taxes` beside `GET /taxes/{code}`. */
function createdKeys(op: SpecOperation, spec: Spec): string[] {
  const item = new RegExp(`^${op.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\{([^}]+)\\}$`);
  const names = new Set<string>();
  for (const other of spec.operations) {
    const name = item.exec(other.path)?.[1];
    if (name === undefined) continue;
    // The property the key stands for, else one of its own name (in a wrapped body, `{ tax: { code } }`).
    const property = keyProperty(spec, op.path, name) ?? name;
    // An `id` is the server's to set in most specs; a client-chosen one is left as the spec's example.
    if (property !== 'id') names.add(property);
  }
  return [...names];
}

/** The `n`th distinct form of a key value: a number plus n, a string with `-n` (a uuid's last digits). */
function nth(value: unknown, n: number): unknown {
  if (typeof value === 'number') return value + n;
  if (typeof value !== 'string') return value;
  if (/^[0-9a-f-]{36}$/i.test(value)) return `${value.slice(0, -4)}${n.toString(16).padStart(4, '0')}`;
  const at = value.indexOf('@');
  return at > 0 ? `${value.slice(0, at)}-${n}${value.slice(at)}` : `${value}-${n}`;
}

/** The object holding `key`: the body itself or the one object it wraps (`{ tax: { code } }`). */
function holder(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  if (key in body) return body;
  const values = Object.values(body);
  const only = values.length === 1 ? values[0] : undefined;
  return only && typeof only === 'object' && !Array.isArray(only) && key in only
    ? (only as Record<string, unknown>)
    : undefined;
}

/**
 * Gives each JSON create of `op` but the first its own value of every property a path names
 * rows by. The spec says such a key names one row (`GET /taxes/{code}` answers one tax), so a
 * second create with the same value is a conflict in any implementation of it: sending the
 * spec's example twice tested the oracle, not the app. Other bodies are left as built.
 */
export function distinctKeys<R extends OracleRequest>(op: SpecOperation, spec: Spec, requests: R[]): R[] {
  if (op.method !== 'post') return requests;
  const keys = createdKeys(op, spec);
  if (keys.length === 0) return requests;
  let n = 0;
  return requests.map((request) => {
    if (request.body === undefined || !/json/i.test(request.headers['content-type'] ?? '')) return request;
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return request;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return request;
    const index = n++;
    if (index === 0) return request;
    for (const key of keys) {
      const at = holder(body as Record<string, unknown>, key);
      if (at) at[key] = nth(at[key], index + 1);
    }
    return { ...request, body: JSON.stringify(body) };
  });
}
