import { describe, expect, it } from 'vitest';
import { assertSomeSucceeded } from '../../src/demo/demo-load.js';

const counts = (ok: number, total: number) => ({
  total,
  ok,
  errors: total - ok,
  sent: total,
  responses: total,
});

describe('assertSomeSucceeded', () => {
  it('lets a step through when at least one request succeeded', () => {
    expect(() =>
      assertSomeSucceeded('before the fix', {
        requests: counts(1, 100),
        statusCodes: { '200': 1, '404': 99 },
        interrupted: false,
      }),
    ).not.toThrow();
  });

  it('refuses a step where every request failed, naming what the app answered', () => {
    expect(() =>
      assertSomeSucceeded('before the fix', {
        requests: counts(0, 150),
        statusCodes: { '404': 150 },
        interrupted: false,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'TENON_DEMO_LOAD_FAILED',
        message: 'No request of the load "before the fix" succeeded (150 sent; 150× 404).',
      }),
    );
  });

  it('leaves an interrupted step to the interruption (exit 130), whatever it measured', () => {
    expect(() =>
      assertSomeSucceeded('before the fix', { requests: counts(0, 3), statusCodes: {}, interrupted: true }),
    ).not.toThrow();
  });

  it('says so when nothing answered at all', () => {
    expect(() =>
      assertSomeSucceeded('after the fix', { requests: counts(0, 20), statusCodes: {}, interrupted: false }),
    ).toThrow(/20 sent; no response at all/);
  });
});
