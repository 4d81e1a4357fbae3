import { describe, expect, it } from 'vitest';
import {
  type ChartRun,
  type ChartSecond,
  distributionChart,
  latencyOverTimeChart,
  spectrumChart,
  throughputChart,
} from '../../src/report/load-charts.js';

function second(n: number, requests: number, p99: number): ChartSecond {
  const latency = { p50: p99 / 2, p90: p99 * 0.9, p99, max: p99 * 2 };
  return {
    second: n,
    requests,
    rps: requests,
    errors: n === 2 ? 1 : 0,
    targetRps: 10,
    connectionsInUse: 3,
    corrected: latency,
    service: { ...latency, p99: p99 / 4 },
  };
}

const before: ChartRun = {
  label: 'before',
  color: '#d00',
  seconds: [second(1, 10, 40), second(2, 0, 0), second(3, 10, 80)],
  spectrum: [
    { percentile: 50, ms: 10 },
    { percentile: 99, ms: 40 },
    { percentile: 100, ms: 90 },
  ],
  buckets: [
    { toMs: 1, count: 5 },
    { toMs: 10, count: 20 },
  ],
};
const after: ChartRun = {
  label: 'after',
  color: '#0a0',
  seconds: [second(1, 10, 4), second(2, 10, 5)],
  spectrum: [
    { percentile: 50, ms: 1 },
    { percentile: 90, ms: 3 },
  ],
  buckets: [
    { toMs: 1, count: 25 },
    { toMs: 2, count: 1 },
  ],
};

describe('load charts', () => {
  it('latency over time: a series per line and run, gaps for empty seconds, a target line', () => {
    const spec = latencyOverTimeChart({
      id: 'p99',
      title: 'p99',
      runs: [before, after],
      latency: 'corrected',
      lines: [{ key: 'p99' }, { key: 'p99', from: 'service', label: 'service p99', dash: true }],
      targetMs: 50,
    });
    expect(spec.x).toEqual([1, 2, 3]);
    expect(spec.series).toEqual([
      { label: 'p99 before', values: [40, null, 80], color: '#d00' },
      { label: 'p99 after', values: [4, 5, null], color: '#0a0' },
      { label: 'service p99 before', values: [10, null, 20], color: '#d00', dash: true },
      { label: 'service p99 after', values: [1, 1.25, null], color: '#0a0', dash: true },
      { label: 'target 50 ms', values: [50, 50, 50], color: '#6b7280', dash: true },
    ]);
  });

  it('names series after the metric alone for a single unnamed run, or after the run alone', () => {
    const one = { ...after, label: '', color: undefined };
    const spec = latencyOverTimeChart({
      id: 'a',
      title: 'a',
      runs: [one],
      latency: 'service',
      lines: [{ key: 'max' }],
    });
    expect(spec.series).toEqual([{ label: 'max', values: [8, 10] }]);
    const named = latencyOverTimeChart({
      id: 'b',
      title: 'b',
      runs: [{ ...one, label: 'GET /x' }],
      latency: 'service',
      lines: [{ key: 'p99', label: '' }],
    });
    expect(named.series[0]?.label).toBe('GET /x');
  });

  it('throughput: successes per second, the target, errors; connections alone on the right axis', () => {
    const spec = throughputChart({
      runs: [{ ...before, label: '', color: undefined }],
      target: true,
      connections: true,
    });
    expect(spec.series.map((s) => [s.label, s.values, s.rightAxis ?? false])).toEqual([
      ['ok/s', [10, 0, 10], false],
      ['target', [10, 10, 10], false],
      ['errors/s', [0, 0, 0], false],
      ['connections in use', [3, 3, 3], true],
    ]);
    expect(spec.yRightLabel).toBe('connections in use');
    // Without connections, errors get the right axis, labelled as theirs.
    const demo = throughputChart({ runs: [{ ...before, label: '' }] });
    expect(demo.yRightLabel).toBe('errors/s');
    expect(demo.series.find((s) => s.label === 'errors/s')?.rightAxis).toBe(true);
  });

  it('throughput: failures are not throughput, and a partial last second is left out', () => {
    const seconds: ChartSecond[] = [
      { ...second(1, 100, 5), rps: 100, ok: 70, errors: 30 },
      { ...second(2, 100, 5), rps: 100, ok: 100, errors: 0 },
      // 20 answers in the last 0.05 s: 400 "req/s" of noise.
      { ...second(2.05, 20, 5), rps: 400, ok: 20, errors: 0, partial: true },
    ];
    const spec = throughputChart({ runs: [{ label: '', seconds }], connections: true });
    expect(spec.series.map((s) => [s.label, s.values])).toEqual([
      ['ok/s', [70, 100, null]],
      ['errors/s', [30, 0, null]],
      ['connections in use', [3, 3, 3]],
    ]);
  });

  it('spectrum and distribution: the union of the runs’ points, the max left out of the spectrum', () => {
    const spectrum = spectrumChart({ runs: [before, after] });
    expect(spectrum.x).toEqual([50, 90, 99].map((p) => -Math.log10(1 - p / 100)));
    expect(spectrum.series.map((s) => s.values)).toEqual([
      [10, null, 40],
      [1, 3, null],
    ]);
    expect(spectrum.yLog).toBe(true);
    const distribution = distributionChart({ runs: [before, after] });
    expect(distribution.xLabels).toEqual(['1.00 ms', '2.00 ms', '10.0 ms']);
    expect(distribution.series.map((s) => [s.label, s.values, s.bars])).toEqual([
      ['before', [5, null, 20], true],
      ['after', [25, 1, null], true],
    ]);
  });
});
