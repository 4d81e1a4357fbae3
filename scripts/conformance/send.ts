import type { OracleRequest } from './build-request.js';
import type { Node } from './spec-reader.js';

/** One violation prism found in a request or its response. */
export interface Violation {
  location: string;
  severity: string;
  message: string;
}

/** The violations prism lists in its `sl-violations` header (JSON), or one saying it could not read them. */
function parseViolations(header: string | null): Violation[] {
  if (!header) return [];
  try {
    return (JSON.parse(header) as Node[]).map((v) => ({
      location: Array.isArray(v.location) ? v.location.join('.') : String(v.location ?? ''),
      severity: String(v.severity ?? ''),
      message: String(v.message ?? ''),
    }));
  } catch {
    return [
      { location: 'sl-violations', severity: 'Error', message: `unreadable header: ${header.slice(0, 200)}` },
    ];
  }
}

let requestCount = 0;

/**
 * Sends one request through prism: the status, prism's violations, the parsed answer, and whether
 * the app wrote that answer. Each request carries its own `X-Request-Id`, which a tenon app echoes;
 * an answer without it is prism's own. Prism answers for the app when the app says 501: it then
 * mocks the operation from the spec ("Remocking the call"), and that mock must not pass for the
 * app's conforming answer.
 */
export async function send(
  base: string,
  request: OracleRequest,
): Promise<{
  status: number;
  violations: Violation[];
  body: Node;
  contentType: string;
  fromApp: boolean;
  /** The `X-Request-Id` the request carried (the app echoes it; the app tap notes the app's status by it). */
  requestId: string;
  location?: string;
}> {
  const search = new URLSearchParams(request.query).toString();
  const url = `${base}${request.path}${search ? `?${search}` : ''}`;
  const id = `tenon-oracle-${process.pid}-${++requestCount}`;
  try {
    const res = await fetch(url, {
      method: request.method,
      headers: { ...request.headers, 'x-request-id': id },
      body: request.body,
      // A 3xx is the answer to judge, not a place to go: following it left loopback (prism's mock of
      // a 302 names the spec's example host) and counted as no answer.
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const violations = parseViolations(res.headers.get('sl-violations'));
    const text = await res.text();
    let body: Node;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return {
      status: res.status,
      violations,
      body,
      contentType: res.headers.get('content-type') ?? '',
      fromApp: res.headers.get('x-request-id') === id,
      requestId: id,
      ...(res.headers.get('location') ? { location: res.headers.get('location')! } : {}),
    };
  } catch (error) {
    const message = String((error as Error).cause ?? error);
    return {
      status: 0,
      violations: [{ location: 'request', severity: 'Error', message }],
      body: undefined,
      contentType: '',
      fromApp: false,
      requestId: id,
    };
  }
}
