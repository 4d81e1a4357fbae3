import { describe, expect, it } from 'vitest';
import { ratioSummary } from '../../bench/support/ratio-summary.js';

describe('ratioSummary (the end of bench/generated-app.ts)', () => {
  it('gives GET by id against the mean of the two bare runs, by req/s and by CPU, the list ratio and the p99s', () => {
    const lines = ratioSummary({
      'bare fastify': { byIdRps: 10_000, byIdCpuUs: 100, listRps: 500, openP99: 5 },
      'generated fastify': { byIdRps: 8_000, byIdCpuUs: 125, listRps: 2_800, openP99: 6.25, openLate: true },
      'generated express': { byIdRps: 3_000, byIdCpuUs: 400, listRps: 1_500, openP99: 40, openErrors: 2 },
      'bare fastify (again)': { byIdRps: 10_000, byIdCpuUs: 100, listRps: 500, openP99: 7 },
    });
    expect(lines.join('\n')).toBe(
      [
        '\nsummary',
        '  GET by id × bare, by req/s (by server CPU per request): generated fastify 0.80 (CPU 0.80), generated express 0.30 (CPU 0.25) — goal ≥ 0.75 for generated fastify',
        '  list ÷ GET by id: generated fastify 0.35, generated express 0.50, bare fastify 0.05 — goal ≥ 0.3',
        '  open model p99 at 1,000 req/s: generated fastify 6.3 ms (generator late), generated express 40.0 ms, 2 errors, bare fastify 5.0 ms, bare fastify (again) 7.0 ms — goal < 50 ms',
      ].join('\n'),
    );
  });

  it('says "not run" for the parts a run skipped (BENCH_PART=byid: no list, no open model, no Express)', () => {
    const lines = ratioSummary({
      'bare fastify': { byIdRps: 10_000 },
      'generated fastify': { byIdRps: 7_500 },
      'bare fastify (again)': { byIdRps: 10_000 },
    });
    expect(lines[1]).toContain(
      'generated fastify 0.75 (CPU not run), generated express not run (CPU not run)',
    );
    expect(lines[2]).toContain('generated fastify not run');
    expect(lines[3]).toContain('generated fastify not run');
  });
});
