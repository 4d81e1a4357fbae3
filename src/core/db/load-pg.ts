import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * node-postgres (`pg`), loaded without the cost of its Cloudflare check on
 * Node 20. When loaded, pg asks whether it runs in a Cloudflare Worker: by
 * `navigator.userAgent` where `navigator` exists (Node ≥ 21), else by
 * building a `Response`, and on Node 20 merely touching the global
 * `Response` loads Node's whole fetch implementation (undici): ~25 ms of
 * CPU at every start of a command that talks to PostgreSQL
 * (docs/migrate.md#performance). So on Node 20, while pg loads, the lazy
 * `Response` global is hidden (pg then takes the Node path, which is
 * right: this is Node) and put back as it was, still lazy, right after.
 */
export function loadPg(): typeof import('pg') {
  // With `navigator` (Node ≥ 21) pg never looks at Response. Ask first: on Node 24, reading
  // Response's descriptor alone loads undici (a lazy data property there, an accessor on Node 20).
  if ('navigator' in globalThis) return require('pg') as typeof import('pg');
  const response = Object.getOwnPropertyDescriptor(globalThis, 'Response');
  if (response?.get === undefined || response.configurable !== true)
    return require('pg') as typeof import('pg');
  Object.defineProperty(globalThis, 'Response', { value: undefined, configurable: true, writable: true });
  try {
    return require('pg') as typeof import('pg');
  } finally {
    Object.defineProperty(globalThis, 'Response', response);
  }
}
