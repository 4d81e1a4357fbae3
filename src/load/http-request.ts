import { TenonError } from '../core/errors.js';
import type { WorkerTarget } from './worker-protocol.js';

/** What to request from one endpoint. */
export interface RequestSpec {
  url: string;
  method: string;
  /** Header lines as name → value; `Host`, `Content-Length` and `User-Agent` are added when missing. */
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Builds the exact bytes of an HTTP/1.1 request once, so workers only copy
 * them to the socket. Only `http:` URLs are accepted.
 *
 * @throws TenonError `TENON_LOAD_URL_INVALID`, `TENON_LOAD_REQUEST_INVALID`
 */
export function buildRequest(spec: RequestSpec, userAgent: string): WorkerTarget & { url: string } {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch (cause) {
    throw new TenonError('TENON_LOAD_URL_INVALID', `"${spec.url}" is not a URL.`, {
      cause,
      hint: 'Give a full URL such as http://127.0.0.1:3000/api/v1/products.',
    });
  }
  if (url.protocol !== 'http:') {
    throw new TenonError('TENON_LOAD_URL_INVALID', `${spec.url}: only http:// URLs are supported.`, {
      hint: 'Load-test the plain HTTP port of the service (TLS termination is usually in front of it).',
    });
  }
  const method = spec.method.toUpperCase();
  if (!TOKEN.test(method)) {
    throw new TenonError('TENON_LOAD_REQUEST_INVALID', `"${spec.method}" is not an HTTP method.`, {
      hint: 'Use GET, POST, PUT, PATCH, DELETE, HEAD or another token.',
    });
  }
  const body =
    spec.body === undefined
      ? undefined
      : typeof spec.body === 'string'
        ? Buffer.from(spec.body)
        : Buffer.from(spec.body);
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  const names = new Set<string>();
  for (const [name, value] of Object.entries(spec.headers)) {
    if (!TOKEN.test(name) || /[\r\n]/.test(value)) {
      throw new TenonError('TENON_LOAD_REQUEST_INVALID', `Invalid header "${name}: ${value}".`, {
        hint: "Write headers as 'Name: value' (one per -H), without line breaks.",
      });
    }
    names.add(name.toLowerCase());
    lines.push(`${name}: ${value}`);
  }
  if (!names.has('host')) lines.splice(1, 0, `Host: ${url.host}`);
  if (!names.has('user-agent')) lines.push(`User-Agent: ${userAgent}`);
  if (body && !names.has('content-length')) lines.push(`Content-Length: ${body.length}`);
  if (body && !names.has('content-type') && /^\s*[[{]/.test(body.toString('utf8', 0, 64))) {
    lines.push('Content-Type: application/json');
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const request = body ? Buffer.concat([head, body]) : head;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { url: url.href, host, port: Number(url.port || 80), request, head: method === 'HEAD' };
}

/**
 * Parses `-H 'Name: value'` lines into a header record.
 *
 * @throws TenonError `TENON_LOAD_REQUEST_INVALID` for a line without a colon.
 */
export function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new TenonError('TENON_LOAD_REQUEST_INVALID', `Header "${line}" has no "Name: value" form.`, {
        hint: "Write each header as -H 'Name: value'.",
      });
    }
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
