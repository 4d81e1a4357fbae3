import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); no browser is ever downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Without the background-networking flag Chromium calls home, and this closed network refuses it.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A report file opened in a page, with what the page complained about and fetched. */
export interface OpenedReport {
  page: Page;
  /** The file's URL: the only request a self-contained report may make. */
  url: string;
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  /** Every URL the page requested, the report itself included. */
  requests: string[];
}

/** Opens `file` in a new page, recording console problems and requests from the first byte. */
export async function openReport(browser: Browser, file: string): Promise<OpenedReport> {
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
  return { page, url, problems, requests };
}

/** What a chart of a report drew: its points (`data-rendered`) and how many canvas pixels have ink. */
export interface RenderedChart {
  id: string;
  hasCanvas: boolean;
  points: number;
  inked: number;
}

/** Waits for the report's charts (`body[data-charts-ready]`) and reads what each one drew. */
export async function renderedCharts(page: Page): Promise<RenderedChart[]> {
  await page.waitForSelector('body[data-charts-ready]', { timeout: 10_000 });
  return page.$$eval('.plot', (plots) =>
    plots.map((plot) => {
      const canvas = plot.querySelector('canvas');
      let inked = 0;
      if (canvas) {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
      }
      return { id: plot.id, hasCanvas: !!canvas, points: Number(plot.getAttribute('data-rendered')), inked };
    }),
  );
}
