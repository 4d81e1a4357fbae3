import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/index.js';

describe('runLoad with a mix of targets', () => {
  let server: Server;
  let base: string;
  const seen = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += String(c);
      });
      req.on('end', () => {
        const key = `${req.method} ${req.url} ${req.headers.authorization ?? '-'} ${req.headers['x-kind'] ?? '-'} ${body}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        res.statusCode = req.method === 'POST' ? 201 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends each target with its own method, headers and body, and names the endpoints', async () => {
    const result = await runLoad({
      targets: [
        { url: `${base}/items`, name: 'list' },
        {
          url: `${base}/items`,
          method: 'post',
          headers: { 'x-kind': 'create' },
          body: '{"a":1}',
          name: 'create',
        },
        { url: `${base}/items/7` },
      ],
      headers: { authorization: 'Bearer t' },
      requests: 60,
      connections: 3,
      workers: 1,
    });
    expect(result.endpoints.map((e) => [e.name, e.method])).toEqual([
      ['list', 'GET'],
      ['create', 'POST'],
      ['GET /items/7', 'GET'],
    ]);
    // Round-robin per connection: close to a third each, not exactly.
    const [list, create, one] = result.endpoints.map((e) => e.requests.total) as [number, number, number];
    expect(list + create + one).toBe(60);
    for (const n of [list, create, one]) expect(n).toBeGreaterThanOrEqual(10);
    expect(result.endpoints[1]!.statusCodes).toEqual({ '201': create });
    expect(Object.fromEntries(seen)).toEqual({
      'GET /items Bearer t - ': list,
      'POST /items Bearer t create {"a":1}': create,
      'GET /items/7 Bearer t - ': one,
    });
  });

  it('refuses both urls and targets, or neither', async () => {
    await expect(runLoad({ urls: [base], targets: [{ url: base }], requests: 1 })).rejects.toThrow(
      /either urls or targets/,
    );
    await expect(runLoad({ requests: 1 })).rejects.toThrow(/either urls or targets/);
  });
});
