import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import type { CapacityResult } from '../../src/load/index.js';
import { runTenon } from '../support/cli.js';
import { startCapacityServer, startHttpServer, type TestServer } from '../support/load-servers.js';
import { launchChromium, openReport, renderedCharts } from '../support/report-browser.js';

/** Short runs: the search's logic is tested in test/load/capacity; this checks the command around it. */
// A generous lateness tolerance: these tests are about the search, not the generator on a busy machine.
const QUICK = [
  '-d',
  '500ms',
  '--warmup',
  '300ms',
  '--workers',
  '1',
  '--timeout',
  '3s',
  '--max-lateness',
  '10ms',
];

describe('tenon load --find-capacity', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startCapacityServer(50);
    dir = mkdtempSync(join(tmpdir(), 'tenon-capacity-cli-'));
  });
  afterAll(() => server.close());

  it('--json prints tenon.load.capacity/v1; --html draws the percentile by rate against the SLO', async () => {
    // Both rates are under the server's capacity (50 req/s): the search reaches --max-rate and says "at least".
    const r = await runTenon(
      [
        'load',
        server.url,
        '--find-capacity',
        '--slo',
        'p90<100ms',
        '--max-rate',
        '30',
        '--rate',
        '15',
        ...QUICK,
        '--json',
        '--html',
        'capacity.html',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(ExitCode.ok);
    const result = JSON.parse(r.stdout) as CapacityResult;
    expect(result).toMatchObject({ schema: 'tenon.load.capacity/v1', status: 'max-rate-met', capacity: 30 });
    expect(result.steps.map((s) => [s.rate, s.decision])).toEqual([
      [15, 'pass'],
      [30, 'pass'],
    ]);
    expect(result.confidence).toBeGreaterThanOrEqual(0.95);
    expect(r.stderr).toMatch(/^capacity: 30 req\/s pass/m);

    const browser = await launchChromium();
    try {
      const { page, url, problems, requests } = await openReport(browser, join(dir, 'capacity.html'));
      const charts = await renderedCharts(page);
      expect(charts.map((c) => c.id)).toEqual(['chart-objective-0']);
      expect(charts[0]!.hasCanvas).toBe(true);
      expect(await page.textContent('body')).toContain('p90<100ms');
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });

  it('prints the table and exits 1 when no rate meets the SLO', async () => {
    const failing = await startHttpServer((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    try {
      const r = await runTenon(
        [
          'load',
          failing.url,
          '--find-capacity',
          '--slo',
          'p99<1s',
          '--max-rate',
          '20',
          '--rate',
          '10',
          '--min-rate',
          '10',
          ...QUICK,
        ],
        { cwd: dir },
      );
      expect(r.code, r.stderr).toBe(ExitCode.checkFailed);
      expect(r.stdout).toMatch(/^\s*10 req\/s\s.*not met\s.*no request succeeded/m);
      expect(r.stdout).toContain('capacity none: no rate down to 10 req/s met p99<1s');
    } finally {
      await failing.close();
    }
  });

  it.each([
    [['--find-capacity', '--slo', 'p99<1s'], 'TENON_LOAD_CAPACITY_INVALID', '--max-rate'],
    [['--find-capacity', '--max-rate', '10'], 'TENON_LOAD_SLO_INVALID', '--slo'],
    [['--find-capacity', '--slo', 'rps>10', '--max-rate', '10'], 'TENON_LOAD_SLO_INVALID', 'only latency'],
    [['--find-capacity', '--slo', 'p99<1s', '--max-rate', 'x'], 'TENON_LOAD_CAPACITY_INVALID', '--max-rate'],
    [
      ['--find-capacity', '--slo', 'p99<1s', '--max-rate', '10', '--stages', '1s:5'],
      'TENON_LOAD_CAPACITY_INVALID',
      '--stages',
    ],
    [['--max-rate', '10'], 'TENON_LOAD_OPTIONS_INVALID', 'only apply to --find-capacity'],
  ])('exits 2 before any request: %j', async (args, code, text) => {
    const before = server.requests;
    const r = await runTenon(['load', server.url, ...args], { cwd: dir });
    expect(r.code, r.stderr).toBe(ExitCode.usage);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toContain(text);
    expect(server.requests).toBe(before);
  });
});
