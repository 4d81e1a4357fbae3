import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import type { LoadResult } from '../../src/load/index.js';
import { runTenon } from '../support/cli.js';
import { startDelayServer, type TestServer } from '../support/load-servers.js';

// Closed-model runs: their verdict cannot be "generator saturated", so the exit codes under
// test do not depend on how busy this shared machine is.
describe.sequential('tenon load (CLI)', () => {
  let server: TestServer;
  let slow: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startDelayServer(0);
    slow = await startDelayServer(15);
    dir = mkdtempSync(join(tmpdir(), 'tenon-load-cli-'));
  });
  afterAll(async () => {
    await server.close();
    await slow.close();
  });
  const base = () => [server.url, '-n', '200', '-c', '4', '--workers', '1'];

  it('exits 0 and prints a summary when every threshold passes', async () => {
    const r = await runTenon(['load', ...base(), '--threshold', 'p99<5s', '--threshold', 'errors<1%'], {
      cwd: dir,
    });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(/closed model · 4 connections · 200 requests · 1 worker/);
    expect(r.stdout).toMatch(/^p99\s+[\d.]+ ms$/m);
    expect(r.stdout).toMatch(/requests\s+200/);
    expect(r.stdout).toContain('latency is not corrected for coordinated omission');
    expect(r.stdout).toMatch(/✓ p99<5s/);
    expect(r.stdout).toMatch(/result\s+PASS/);
    // Not a terminal: one milestone line on stderr, no live line.
    expect(r.stderr).toBe('load: closed model, 1 worker, measuring\n');
  });

  it('exits 1 when a threshold fails, and says which', async () => {
    const r = await runTenon(['load', ...base(), '--threshold', 'p50<1us'], { cwd: dir });
    expect(r.code).toBe(ExitCode.checkFailed);
    expect(r.stdout).toMatch(/✗ p50<1us/);
    expect(r.stdout).toMatch(/result\s+FAIL: p50<1us not met/);
  });

  it('--slo default applies the preset (throughput > 1000 req/s fails for 200 requests at 15 ms)', async () => {
    const r = await runTenon(
      ['load', slow.url, '-n', '100', '-c', '2', '--workers', '1', '--slo', 'default', '--json'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(ExitCode.checkFailed);
    const result = JSON.parse(r.stdout) as LoadResult;
    expect(result.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['p50<50ms', true],
      ['p95<200ms', true],
      ['p99<500ms', true],
      ['rps>1000', false],
      ['errors<0.1%', true],
      ['ok>0', true],
    ]);
  });

  it.each([
    [['--threshold', 'p98<1ms'], 'TENON_LOAD_THRESHOLD_INVALID'],
    [['--rate', 'fast'], 'TENON_LOAD_OPTIONS_INVALID'],
    [['--model', 'closed', '--rate', '10'], 'TENON_LOAD_OPTIONS_INVALID'],
    [['--stages', '10s'], 'TENON_LOAD_OPTIONS_INVALID'],
    [['-H', 'no colon'], 'TENON_LOAD_REQUEST_INVALID'],
    [['--body', 'x', '--body-file', 'y'], 'TENON_LOAD_OPTIONS_INVALID'],
    [['--body-file', 'missing.json'], 'TENON_LOAD_REQUEST_INVALID'],
    [['--nope'], 'TENON_CLI_USAGE'],
  ])('exits 2 for bad input %j', async (extra, code) => {
    const r = await runTenon(['load', server.url, ...extra], { cwd: dir });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['--html', '/nonexistent/dir/r.html', 'the folder /nonexistent/dir does not exist'],
    ['--out', '.', 'it is a folder'],
  ])('checks %s %s before the run: exit 2, nothing sent', async (flag, file, why) => {
    const before = server.requests;
    const r = await runTenon(['load', ...base(), flag, file], { cwd: dir });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain('TENON_LOAD_OUTPUT_INVALID');
    expect(r.stderr).toContain(why);
    expect(server.requests).toBe(before);
  });

  // /proc is a folder that passes access(W_OK) for root but takes no new file: the run
  // must not be made only to fail at the end (exit 3).
  it.runIf(process.platform === 'linux')(
    'checks that the --html file can be created, not only its folder',
    async () => {
      const before = server.requests;
      const r = await runTenon(['load', ...base(), '--html', '/proc/tenon-report.html'], { cwd: dir });
      expect(r.code).toBe(ExitCode.usage);
      expect(r.stderr).toMatch(
        /TENON_LOAD_OUTPUT_INVALID: --html \/proc\/tenon-report\.html cannot be written: .*(ENOENT|EACCES)/,
      );
      expect(server.requests).toBe(before);
    },
  );

  it('exits 2 for a URL that is not http://', async () => {
    const r = await runTenon(['load', 'https://127.0.0.1:1/'], { cwd: dir });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain('TENON_LOAD_URL_INVALID');
  });

  it('--json prints one versioned document with the documented fields', async () => {
    const r = await runTenon(['load', ...base(), '--json', '--threshold', 'p99<5s'], { cwd: dir });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as LoadResult;
    expect(result.schema).toBe('tenon.load/v1');
    for (const kind of ['corrected', 'service'] as const) {
      for (const key of ['p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const) {
        expect(typeof result.latency[kind][key]).toBe('number');
      }
    }
    expect(result.requests).toMatchObject({ total: 200, ok: 200, errors: 0 });
    expect(result.throughput.rps).toBeGreaterThan(0);
    expect(result.thresholds).toEqual([
      expect.objectContaining({ expression: 'p99<5s', pass: true, source: 'user' }),
      expect.objectContaining({ expression: 'errors<0.1%', pass: true, source: 'default' }),
      expect.objectContaining({ expression: 'ok>0', pass: true, source: 'default' }),
    ]);
    expect(result.throughput.attemptedRps).toBe(result.throughput.rps);
    expect(result.errors.latency.count).toBe(0);
    expect(result.generator).toMatchObject({ saturated: false, workers: 1 });
    expect(typeof result.generator.eventLoopLag.p99).toBe('number');
    expect(result.series.length).toBeGreaterThan(0);
    expect(result.endpoints).toHaveLength(1);
    expect(result.endpoints[0]!.requests.total).toBe(200);
  });

  it('--out writes the JSON and --html the report, next to the summary', async () => {
    const r = await runTenon(['load', ...base(), '--out', 'result.json', '--html', 'report.html'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS');
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).requests.total).toBe(200);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<!doctype html>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('prints two URLs side by side', async () => {
    const r = await runTenon(
      ['load', server.url, slow.url, '-n', '100', '-c', '2', '--workers', '1', '--threshold', 'p99<5s'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('latency'))!;
    expect(header).toContain(`GET ${new URL(server.url).host}/`);
    expect(header).toContain(`GET ${new URL(slow.url).host}/`);
    expect(header).toMatch(/ all$/);
    // The aggregate p99 the threshold checks is the table's `all` column.
    const checked = /✓ p99<5s\s+(\S+ ms)/.exec(r.stdout)![1]!;
    expect(
      lines
        .find((l) => l.startsWith('p99 '))!
        .trimEnd()
        .endsWith(checked),
    ).toBe(true);
    expect(lines.find((l) => l.startsWith('requests'))).toMatch(/ 100$/);
  });

  it('takes thresholds and timeout from the config file and environment, flags first', async () => {
    writeFileSync(
      join(dir, 'tenon.config.json'),
      JSON.stringify({ load: { thresholds: ['p50<1us'], timeout: '3s' } }),
    );
    try {
      const fromFile = await runTenon(['load', ...base(), '--json'], { cwd: dir });
      expect(fromFile.code).toBe(ExitCode.checkFailed);
      expect((JSON.parse(fromFile.stdout) as LoadResult).options.timeoutMs).toBe(3000);
      const fromEnv = await runTenon(['load', ...base(), '--json'], {
        cwd: dir,
        env: { TENON_LOAD_TIMEOUT: '4s' },
      });
      expect((JSON.parse(fromEnv.stdout) as LoadResult).options.timeoutMs).toBe(4000);
      const fromFlag = await runTenon(['load', ...base(), '--threshold', 'p99<5s'], { cwd: dir });
      expect(fromFlag.code).toBe(ExitCode.ok);
    } finally {
      writeFileSync(join(dir, 'tenon.config.json'), '{}');
    }
  });

  it('draws a live line on stderr only on a terminal', async () => {
    const r = await runTenon(['load', slow.url, '-c', '2', '-d', '1500ms', '--workers', '1'], {
      cwd: dir,
      tty: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1\/2s · achieved \d+ req\/s · p99 [\d.]+ ms · errors 0/);
  });
});

// Exit code 4 (a saturated generator) and its precedence: load-generator-check.int.test.ts, with a
// generator whose event loop is really blocked rather than a busy machine (not flagged by itself).
