import type { Server } from 'node:http';
import type { Config } from '../config.js';

/**
 * The HTTP server's limits for slow and idle clients, from the configuration.
 * Without them a client that sends its headers one byte at a time holds a
 * connection (and a file descriptor) for Node's defaults: 60 s for the
 * headers, 5 minutes for the request.
 */
export function serverOptions(config: Config) {
  return {
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    // Node looks for requests past their timeout every 30 s by default, which adds up to 30 s to
    // both bounds above; once a second costs one pass over the open connections.
    connectionsCheckingInterval: 1_000,
  };
}

/**
 * From SIGTERM on, every response says `Connection: close`, so keep-alive
 * clients (and load balancers) open their next request elsewhere instead of
 * sending it on a connection that is about to close. Registered before the
 * app's own handler, so it sees every request first.
 */
export function closeConnectionsAfterResponses(server: Server): void {
  server.prependListener('request', (_req, res) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  });
}
