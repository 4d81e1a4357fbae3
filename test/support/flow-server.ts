import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the flow server saw, to check a scenario run against. */
export interface FlowServerCounts {
  /** Logins per email. */
  logins: Map<string, number>;
  /** Items created, by id: the owner (from the token) and the name. */
  items: Map<number, { owner: string; name: string }>;
  /** Fetches per item id (only of items that exist). */
  fetches: Map<number, number>;
  /** Requests without a valid token. */
  unauthorized: number;
  requests: number;
}

/** A loopback API with a known truth: log in, create an item, fetch it by id. */
export interface FlowServer {
  url: string;
  counts: FlowServerCounts;
  close(): Promise<void>;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Starts the flow server on 127.0.0.1:
 * - `POST /login` `{"email"}` → 200 `{"token":"t-<email>"}`
 * - `POST /items` (Bearer token) `{"name"}` → 201 `{"id","name"}` and `Location: /items/<id>`
 * - `GET /items/<id>` (Bearer token) → 200 `{"id","name","owner"}` (chunked), 404 when unknown
 * - `GET /health` → 200 `{"ok":false}` (for checks that must fail)
 */
export async function startFlowServer(port = 0): Promise<FlowServer> {
  const counts: FlowServerCounts = {
    logins: new Map(),
    items: new Map(),
    fetches: new Map(),
    unauthorized: 0,
    requests: 0,
  };
  const sockets = new Set<net.Socket>();
  const owner = (req: http.IncomingMessage) => /^Bearer t-(.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const server = http.createServer((req, res) => {
    counts.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
      if (req.method === 'POST' && req.url === '/login') {
        const email = String(body.email);
        counts.logins.set(email, (counts.logins.get(email) ?? 0) + 1);
        return send(res, 200, { token: `t-${email}` });
      }
      if (req.url === '/health') return send(res, 200, { ok: false });
      const who = owner(req);
      if (!who) {
        counts.unauthorized++;
        return send(res, 401, { error: 'unauthorized' });
      }
      if (req.method === 'POST' && req.url === '/items') {
        const id = counts.items.size + 1;
        counts.items.set(id, { owner: who, name: String(body.name) });
        return send(res, 201, { id, name: body.name }, { location: `/items/${id}` });
      }
      const match = /^\/items\/(\d+)$/.exec(req.url ?? '');
      const item = match ? counts.items.get(Number(match[1])) : undefined;
      if (req.method === 'GET' && item) {
        const id = Number(match![1]);
        counts.fetches.set(id, (counts.fetches.get(id) ?? 0) + 1);
        // Chunked on purpose: extraction must decode it.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"id":${id},`);
        res.end(`"name":${JSON.stringify(item.name)},"owner":${JSON.stringify(item.owner)}}`);
        return;
      }
      send(res, 404, { error: 'not found' });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
