import { describe, expect, it } from 'vitest';
import { serverStartTimeoutMs } from '../../scripts/conformance/processes.js';
import type { ConformanceRow } from '../../scripts/conformance/run-conformance.js';
import { oracleCell, rowFailed } from '../../scripts/conformance/table.js';

function row(overrides: Partial<ConformanceRow> = {}): ConformanceRow {
  const passed = { status: 'passed' as const, ms: 1000 };
  return {
    spec: 'museum.yaml',
    framework: 'fastify',
    generated: { ok: true, specOperations: 8, crud: 7, custom: 1, notGenerated: 0, webhooks: 0 },
    install: { ...passed, warnings: [] },
    lint: passed,
    tests: passed,
    build: passed,
    oracle: {
      pglite: {
        servedSpecDiff: [],
        operations: [],
        unkeyed: [],
        violations: 0,
        refused: 0,
        notImplemented: 2,
        ms: 5000,
      },
    },
    ...overrides,
  };
}

describe('the conformance table says why a row fell short', () => {
  it('a clean row passes; violations, refusals, a failed step or an oracle error fail it', () => {
    expect(rowFailed(row())).toBe(false);
    const report = { servedSpecDiff: [], operations: [], unkeyed: [], notImplemented: 0, ms: 1 };
    expect(rowFailed(row({ oracle: { pglite: { ...report, violations: 1, refused: 0 } } }))).toBe(true);
    expect(rowFailed(row({ oracle: { pglite: { ...report, violations: 0, refused: 3 } } }))).toBe(true);
    expect(rowFailed(row({ lint: { status: 'failed', ms: 1 } }))).toBe(true);
    expect(rowFailed(row({ install: { status: 'failed', ms: 1, warnings: [] } }))).toBe(true);
    expect(rowFailed(row({ generated: { ...row().generated, ok: false, error: 'refused' } }))).toBe(true);
    expect(rowFailed(row({ oracle: { pglite: { error: 'boom', ms: 1 } } }))).toBe(true);
  });

  it('requests prism refused itself are shown apart, and are not the app’s refusals', () => {
    const pglite = {
      ...(row().oracle.pglite as object),
      prismRefused: 5,
    } as ConformanceRow['oracle']['pglite'];
    const shown = row({ oracle: { pglite } });
    expect(oracleCell(shown)).toBe('pglite: 0 viol., 0 refused, 5 prism refused (not the app), 2×501');
    expect(rowFailed(shown)).toBe(false);
    expect(oracleCell(row())).toBe('pglite: 0 viol., 0 refused, 2×501');
  });

  it('an oracle error shows its first line in the cell, not only in --json', () => {
    const error =
      'the server did not become ready within 120 s (TENON_SERVER_START_TIMEOUT_MS sets the limit):\nlog…';
    const cell = oracleCell(row({ oracle: { pglite: { error, ms: 1 } } }));
    expect(cell).toContain('pglite: error: the server did not become ready within 120 s');
    expect(cell).not.toContain('log…');
  });

  it('the server start-up limit is 120 s unless TENON_SERVER_START_TIMEOUT_MS sets another', () => {
    expect(serverStartTimeoutMs({})).toBe(120_000);
    expect(serverStartTimeoutMs({ TENON_SERVER_START_TIMEOUT_MS: '300000' })).toBe(300_000);
    expect(serverStartTimeoutMs({ TENON_SERVER_START_TIMEOUT_MS: 'soon' })).toBe(120_000);
  });
});
