import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../../scripts/conformance/send.js';

// A server on loopback that answers every request with a redirect to a closed loopback port.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(302, {
      location: 'http://127.0.0.1:1/elsewhere',
      'x-request-id': String(req.headers['x-request-id']),
    });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the oracle sends each request once and judges what comes back', () => {
  it('a 3xx is the answer, not a place to follow (following it counted as no answer)', async () => {
    const outcome = await send(base, {
      method: 'GET',
      path: '/exports/1',
      query: [],
      headers: {},
      idSources: {},
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe('http://127.0.0.1:1/elsewhere');
    expect(outcome.fromApp).toBe(true);
  });
});
