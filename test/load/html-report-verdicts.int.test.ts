import { describe, expect, it } from 'vitest';
import { renderLoadReport, runLoad } from '../../src/load/index.js';
import type { ChartSpec } from '../../src/report/charts.js';
import { freePort, startDelayServer } from '../support/load-servers.js';

/** The chart specs a report embeds (what the page hands uPlot). */
function specs(html: string): ChartSpec[] {
  const json = /<script type="application\/json" id="tenon-charts">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no chart data in the report');
  return JSON.parse(json) as ChartSpec[];
}

const chart = (html: string, id: string) => {
  const spec = specs(html).find((s) => s.id === id);
  if (!spec) throw new Error(`no chart ${id}`);
  return spec;
};

describe('the load report says what the run says', () => {
  it('a dead server: no "0.00 ms" headline, no latency line at 0 ms', async () => {
    const port = await freePort();
    const result = await runLoad({
      urls: [`http://127.0.0.1:${port}/`],
      rate: 40,
      duration: '1500ms',
      workers: 1,
    });
    expect(result.requests.ok).toBe(0);
    expect(result.errors.byCategory.refused).toBeGreaterThan(0);
    const html = renderLoadReport(result);
    expect(html).not.toMatch(/P(50|99) corrected<\/div>\s*<div class="value">0\.00 ms/i);
    expect(html).toMatch(/p99 corrected<\/div>\s*<div class="value">—/);
    const latency = chart(html, 'latency-over-time');
    for (const s of latency.series)
      expect(
        s.values.every((v) => v === null),
        s.label,
      ).toBe(true);
  });

  it('marks the last, partial second and keeps the target apart from the errors', async () => {
    const server = await startDelayServer(1);
    try {
      const result = await runLoad({ urls: [server.url], rate: 40, duration: '1500ms', workers: 1 });
      const last = result.series.at(-1)!;
      expect(last.partial).toBe(true);
      const html = renderLoadReport(result);
      expect(chart(html, 'latency-over-time').note).toMatch(
        /^The last point \(at 1\.\d+ s\) covers only 0\.\d+ s \(\d+ requests\)\.$/,
      );
      expect(html).toContain('covers only');
      const throughput = chart(html, 'throughput');
      const color = (label: string) => throughput.series.find((s) => s.label === label)?.color;
      expect(color('target')).toBeDefined();
      expect(color('target')).not.toBe(color('errors/s'));
      // The partial second's rate is not drawn; connections in use are on the right axis.
      expect(throughput.series.find((s) => s.label === 'ok/s')!.values.at(-1)).toBeNull();
      expect(throughput.yRightLabel).toBe('connections in use');
      expect(throughput.series.find((s) => s.label === 'errors/s')!.rightAxis).toBeFalsy();
    } finally {
      await server.close();
    }
  });
});
