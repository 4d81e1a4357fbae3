import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareToBaseline,
  createBaseline,
  parseBaseline,
  renderLoadReport,
  runHistograms,
  runLoad,
} from '../../src/load/index.js';
import { startDelayServer, type TestServer } from '../support/load-servers.js';
import { launchChromium, openReport, renderedCharts } from '../support/report-browser.js';

const OUTPUT = join(process.cwd(), 'test-output');

describe.sequential('the HTML report of a baseline comparison, in a real browser', () => {
  let fast: TestServer;
  let slow: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    fast = await startDelayServer(2);
    slow = await startDelayServer(12);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([fast.close(), slow.close()]);
  });

  it('overlays the baseline and the current run and shows the verdict', async () => {
    const options = { requests: 300, connections: 4, workers: 1, model: 'closed' as const };
    const before = await runLoad({ ...options, urls: [fast.url] });
    const after = await runLoad({ ...options, urls: [slow.url] });
    const saved = parseBaseline(
      JSON.stringify(createBaseline(before, runHistograms(before)!)),
      'before.json',
    );
    after.comparison = compareToBaseline(saved, after, runHistograms(after)!);
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, 'load-baseline-report.html');
    writeFileSync(file, renderLoadReport(after));
    const { page, url, problems, requests } = await openReport(browser, file);
    const charts = await renderedCharts(page);
    for (const id of ['chart-baseline-spectrum', 'chart-baseline-distribution']) {
      const chart = charts.find((c) => c.id === id);
      expect(chart, id).toBeDefined();
      expect(chart!.points, id).toBeGreaterThan(0);
      expect(chart!.inked, id).toBeGreaterThan(500);
    }
    // Two series in each overlay: the legend names both runs.
    const legend = await page.textContent('#chart-baseline-spectrum');
    expect(legend).toContain('baseline');
    expect(legend).toContain('current');
    const text = await page.textContent('#baseline');
    expect(text).toContain('Baseline comparison');
    expect(text).toMatch(/p99\.9/);
    await page.screenshot({ path: join(OUTPUT, 'load-baseline-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });
});
