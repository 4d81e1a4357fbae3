import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLoadReport, runLoad } from '../../src/load/index.js';
import { startDelayServer, startFreezeServer, type TestServer } from '../support/load-servers.js';
import { launchChromium, openReport, renderedCharts } from '../support/report-browser.js';

const OUTPUT = join(process.cwd(), 'test-output');

describe.sequential('tenon load --html report in a real browser', () => {
  let fast: TestServer;
  let freeze: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    fast = await startDelayServer(1);
    freeze = await startFreezeServer(200, 1000);
  });
  afterAll(async () => {
    await browser?.close();
    await fast.close();
    await freeze.close();
  });

  it('renders every chart with data, logs no error and makes no network request', async () => {
    const result = await runLoad({
      urls: [fast.url, freeze.url],
      rate: 200,
      duration: '3s',
      workers: 1,
      thresholds: ['p99<100ms', 'errors<1%'],
    });
    // Started after the load, so the browser's start-up does not compete with the generator.
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, 'load-report.html');
    writeFileSync(file, renderLoadReport(result));
    const { page, url, problems, requests } = await openReport(browser, file);
    const charts = await renderedCharts(page);
    expect(charts.map((c) => c.id).sort()).toEqual(
      [
        'chart-distribution',
        'chart-endpoints-p99',
        'chart-latency-over-time',
        'chart-percentile-spectrum',
        'chart-throughput',
        // The machine's CPU, sampled on every Linux run.
        ...(process.platform === 'linux' ? ['chart-host-signals'] : []),
      ].sort(),
    );
    for (const chart of charts) {
      expect(chart.hasCanvas, chart.id).toBe(true);
      expect(chart.points, chart.id).toBeGreaterThan(0);
      expect(chart.inked, chart.id).toBeGreaterThan(500);
    }
    const text = await page.textContent('body');
    expect(text).toContain('p99<100ms');
    // The freeze server fails p99<100ms (unless this busy machine starved the generator first).
    expect(text).toMatch(/THRESHOLDS FAILED|GENERATOR SATURATED/);
    expect(await page.$$eval('#findings li, #findings p', (items) => items.length)).toBeGreaterThan(0);
    await page.screenshot({ path: join(OUTPUT, 'load-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('draws the server signals below the client charts, on the same seconds, and lists the bottlenecks', async () => {
    // This process's own CPU stands in for the app's: any readable pid gives the chart its points.
    const result = await runLoad({
      urls: [fast.url],
      rate: 100,
      duration: '2s',
      workers: 1,
      signals: { pid: process.pid },
    });
    expect(result.signals?.process?.series.map((p) => Math.round(p.second))).toEqual(
      expect.arrayContaining([1, 2]),
    );
    browser ??= await launchChromium();
    const file = join(OUTPUT, 'load-report-signals.html');
    writeFileSync(file, renderLoadReport(result));
    const { page, problems } = await openReport(browser, file);
    const charts = await renderedCharts(page);
    const app = charts.find((c) => c.id === 'chart-app-signals');
    expect(app?.points).toBeGreaterThan(0);
    if (process.platform === 'linux')
      expect(charts.find((c) => c.id === 'chart-host-signals')?.points).toBeGreaterThan(0);
    expect(await page.textContent('body')).toContain('Bottlenecks');
    expect(problems).toEqual([]);
  });
});
