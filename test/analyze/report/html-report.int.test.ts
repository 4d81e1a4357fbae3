import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeDatabase, escapeHtml, renderAnalyzeHtml } from '../../../src/analyze/index.js';
import { connect } from '../../../src/core/db/index.js';
import { launchChromium, openReport } from '../../support/report-browser.js';
import { requireChromium } from '../../support/services.js';

const OUT = resolve('test-output');
const chromium = requireChromium();

async function analyzedResult() {
  const db = await connect({ databaseUrl: 'pglite://memory' });
  try {
    await db.exec(`
      create extension pg_stat_statements;
      create table authors (id bigint generated always as identity primary key, name text not null);
      create table books (id bigint generated always as identity primary key,
        author_id bigint not null references authors (id), title text not null);
      create table notes (body text);
      insert into authors (name) select '<b>a' || g || '</b>' from generate_series(1, 300) g;
      insert into books (author_id, title) select 1 + g % 300, 't' || g from generate_series(1, 20000) g;
      analyze;
    `);
    for (let i = 0; i < 30; i++) await db.query('select title from books where author_id = $1', [i + 1]);
    return await analyzeDatabase({ db, config: { minStatsAge: 0, slowQueryMean: '1ms' } });
  } finally {
    await db.close();
  }
}

describe('HTML report', () => {
  it('escapes what it shows', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&#60;script&#62;&#34;x&#34; &#38; &#39;y&#39;&#60;/script&#62;',
    );
  });

  it.skipIf(!chromium.available)(
    `renders in headless Chromium without errors or network requests ${chromium.reason}`,
    async () => {
      const result = await analyzedResult();
      const html = renderAnalyzeHtml(result);
      expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, 'analyze-report.html');
      writeFileSync(file, html);
      const browser = await launchChromium();
      try {
        const { page, problems, requests } = await openReport(browser, file);
        await page.locator('details.finding').first().click();
        expect(await page.locator('h1').textContent()).toContain('tenon db analyze');
        expect(await page.locator('details.finding .check').allTextContents()).toEqual(
          expect.arrayContaining(['missing-fk-index', 'missing-index', 'missing-primary-key']),
        );
        expect(await page.getByText('Checks not run').count()).toBe(1);
        expect(await page.locator('p.window').textContent()).toMatch(/^Counters since the statistics/);
        expect(await page.getByText('Top statements by total time').count()).toBe(1);
        expect(await page.locator('text=<b>a1</b>').count()).toBe(0); // data shown as text, never as markup
        await page.screenshot({ path: join(OUT, 'analyze-report.png'), fullPage: true });
        expect(problems).toEqual([]);
        expect(requests).toEqual([pathToFileURL(file).href]);
      } finally {
        await browser.close();
      }
    },
  );
});
