import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHistograms, runLoad } from '../../../src/load/index.js';
import { startDelayServer, type TestServer } from '../../support/load-servers.js';

describe('runLoad keeps the histograms a baseline needs', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startDelayServer(1);
    b = await startDelayServer(3);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('whole-run histograms match the result, and the per-second blocks add up to them', async () => {
    const result = await runLoad({ urls: [a.url, b.url], connections: 4, duration: '2s', workers: 2 });
    const h = runHistograms(result)!;
    expect(h.service.totalCount).toBe(result.requests.ok);
    expect(h.endpoints.map((e) => e.service.totalCount)).toEqual(result.endpoints.map((e) => e.requests.ok));
    const sum = (blocks: { counts: number[] }[]) =>
      blocks.reduce((s, block) => s + block.counts.reduce((x, c) => x + c, 0), 0);
    const blocks = h.blocks!;
    // Two seconds, and the tail up to the last answer: two or three blocks, over both workers.
    expect(blocks.all.service.length).toBeGreaterThanOrEqual(2);
    expect(sum(blocks.all.service)).toBe(result.requests.ok);
    expect(sum(blocks.all.corrected)).toBe(result.requests.ok);
    expect(blocks.endpoints.map((e) => sum(e.service))).toEqual(result.endpoints.map((e) => e.requests.ok));
    // A copy (a result read back from JSON) has none.
    expect(runHistograms({ ...result })).toBeUndefined();
  });
});
