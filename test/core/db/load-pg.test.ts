import { describe, expect, it } from 'vitest';
import { loadPg } from '../../../src/core/db/load-pg.js';

describe('loadPg', () => {
  it('returns node-postgres and leaves the global Response as it found it', () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'Response');
    const pg = loadPg();
    expect(typeof pg.Client).toBe('function');
    expect(typeof pg.Pool).toBe('function');
    // The same descriptor (on Node 20, still the lazy getter), and fetch's Response still works.
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Response')).toEqual(before);
    expect(new Response('x').status).toBe(200);
  });
});
