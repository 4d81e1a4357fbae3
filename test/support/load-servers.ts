import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

/** A server started for a test: its URL, how many requests it saw, and how to stop it. */
export interface TestServer {
  url: string;
  port: number;
  /** Requests the server received (its own count, to check the generator's). */
  readonly requests: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/**
 * An HTTP server (node:http, keep-alive) whose handler decides each
 * response. Counts requests itself.
 */
export async function startHttpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
  path = '/',
): Promise<TestServer> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    count++;
    // Drain the body so keep-alive works for POSTs.
    req.resume();
    req.on('end', () => handler(req, res, count));
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    get requests() {
      return count;
    },
    close: closer(server, sockets),
  };
}

const JSON_BODY = '{"ok":true}';

/** Answers every request with a small JSON body after `delayMs`. */
export function startDelayServer(delayMs: number): Promise<TestServer> {
  return startHttpServer((_req, res) => {
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': JSON_BODY.length });
      res.end(JSON_BODY);
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  });
}

/**
 * Freezes for `freezeMs` at the start of every `periodMs` (from its own
 * start): a request arriving in a freeze is answered when the freeze ends.
 * The analytic latency distribution is then known exactly.
 */
export function startFreezeServer(freezeMs = 200, periodMs = 1000): Promise<TestServer> {
  const t0 = performance.now();
  return startHttpServer((_req, res) => {
    const phase = (performance.now() - t0) % periodMs;
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': JSON_BODY.length });
      res.end(JSON_BODY);
    };
    if (phase < freezeMs) setTimeout(send, freezeMs - phase);
    else send();
  });
}

/**
 * A server with a known capacity: one request at a time, each taking
 * `1000 / capacity` ms of (virtual) service, first come first served. Below
 * `capacity` req/s of evenly spaced arrivals nothing queues and latency is
 * the service time; above, the queue (and latency) grows without bound.
 * Completion times are computed, not slept one after the other, so timer
 * jitter does not add up. When every client has gone (a load run ended)
 * the backlog is dropped, as a server would finish it in the pause.
 */
export function startCapacityServer(capacity: number): Promise<TestServer> {
  const serviceMs = 1000 / capacity;
  let freeAt = 0;
  let pending = 0;
  return startHttpServer((_req, res) => {
    const now = performance.now();
    freeAt = Math.max(freeAt, now) + serviceMs;
    pending++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      pending--;
      if (pending === 0) freeAt = Math.min(freeAt, performance.now());
    };
    const timer = setTimeout(() => {
      finish();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': JSON_BODY.length });
      res.end(JSON_BODY);
    }, freeAt - now);
    // 'close' also fires after the response was sent; finish() counts each request once.
    res.once('close', () => {
      clearTimeout(timer);
      finish();
    });
  });
}

/** Answers with a chunked body of `chunks` writes. */
export function startChunkedServer(chunks = 5): Promise<TestServer> {
  return startHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < chunks; i++) res.write(`chunk ${i};`);
    res.end();
  });
}

/**
 * A raw TCP server for misbehaviour node:http would not allow: `onRequest`
 * gets the socket and the per-connection request number whenever a full
 * request head (`\r\n\r\n`) has arrived.
 */
export async function startRawServer(
  onRequest: (socket: net.Socket, n: number, total: number) => void,
): Promise<TestServer> {
  let total = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    let n = 0;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let at = buffered.indexOf('\r\n\r\n');
      while (at !== -1) {
        buffered = buffered.slice(at + 4);
        total++;
        n++;
        onRequest(socket, n, total);
        at = buffered.indexOf('\r\n\r\n');
      }
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    get requests() {
      return total;
    },
    close: closer(server, sockets),
  };
}

const OK_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** Resets (RST) every connection on its first request. */
export function startResetServer(): Promise<TestServer> {
  return startRawServer((socket) => socket.resetAndDestroy());
}

/** Answers every request with bytes that are not HTTP. */
export function startGarbageServer(): Promise<TestServer> {
  return startRawServer((socket) => socket.write('garbage\r\nmore garbage\r\n\r\n'));
}

/** Closes each connection after its `n`-th response, announcing it with `Connection: close`. */
export function startCloseAfterServer(n: number): Promise<TestServer> {
  return startRawServer((socket, count) => {
    if (count >= n) socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
    else socket.write(OK_RESPONSE);
  });
}

/** Sends the response head one byte every `byteMs` (a slow or stalling server). */
export function startSlowHeadersServer(byteMs: number): Promise<TestServer> {
  return startRawServer((socket) => {
    const text = 'HTTP/1.1 200 OK\r\nX-Slow: yes\r\nContent-Length: 2\r\n\r\nok';
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed) {
        clearInterval(timer);
        return;
      }
      socket.write(text[i]!);
      if (++i === text.length) clearInterval(timer);
    }, byteMs);
  });
}

/** Closes the connection half-way through a Content-Length body. */
export function startTruncatingServer(): Promise<TestServer> {
  return startRawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort'));
}

/** A port on which nothing listens (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
