import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLoadReport, runLoad } from '../../src/load/index.js';
import { startDelayServer, startFreezeServer, type TestServer } from '../support/load-servers.js';

const OUTPUT = join(process.cwd(), 'test-output');

/** Debian's chromium (installed by .ci/run); no browser is ever downloaded. */
function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

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
    browser = await launch();
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, 'load-report.html');
    writeFileSync(file, renderLoadReport(result));
    const url = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    await page.waitForSelector('body[data-charts-ready]', { timeout: 10_000 });

    const charts = await page.$$eval('.plot', (plots) =>
      plots.map((plot) => {
        const canvas = plot.querySelector('canvas');
        let inked = 0;
        if (canvas) {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
        }
        return {
          id: plot.id,
          points: Number(plot.getAttribute('data-rendered')),
          inked,
          hasCanvas: !!canvas,
        };
      }),
    );
    expect(charts.map((c) => c.id).sort()).toEqual(
      [
        'chart-distribution',
        'chart-endpoints-p99',
        'chart-latency-over-time',
        'chart-percentile-spectrum',
        'chart-throughput',
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
  }, 60_000);
});
