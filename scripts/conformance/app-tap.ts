import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from './processes.js';

/** A loopback relay between prism and the app that notes the status the app gave each request. */
export interface AppTap {
  /** The relay's origin (`http://127.0.0.1:PORT`): prism's upstream instead of the app's. */
  base: string;
  /**
   * The status the app answered the request carrying this `X-Request-Id` with; undefined when
   * the request never reached the app (prism answered it itself).
   */
  statusOf(requestId: string): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts a relay in front of the app (`app`, an origin) that passes every request and answer
 * through as they are and notes the app's status by `X-Request-Id`. Prism, told that an upstream
 * answered 501, answers with a mock of its own instead — a 2xx, or the spec's 4xx when it finds
 * the request invalid — and validates that mock: only the relay knows the app answered 501, so
 * the mock's status and violations are never taken for the app's (hanko's handlers).
 */
export async function startAppTap(app: string): Promise<AppTap> {
  const target = new URL(app);
  const statuses = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const id = req.headers['x-request-id'];
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (typeof id === 'string') statuses.set(id, answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      // The app did not answer: prism sees a failed upstream, as it would without the relay.
      res.destroy(error);
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statusOf: (requestId) => statuses.get(requestId),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
