import { describe, expect, it } from 'vitest';
import { NO_LATENCY } from '../../../src/load/histogram-summary.js';
import {
  evaluateScenarioThresholds,
  parseScenarioThreshold,
  resolveScenarioThresholds,
} from '../../../src/load/scenario/scenario-thresholds.js';

const known = new Set(['create', 'create.post', 'setup.login']);
const summary = (p99: number) => ({
  count: 1,
  min: 1,
  mean: 1,
  p50: 1,
  p90: 1,
  p95: 1,
  p99,
  p999: p99,
  max: p99,
});

describe('scenario thresholds', () => {
  it('parses unscoped, flow and step thresholds', () => {
    expect(parseScenarioThreshold('p99<200ms', known)).toMatchObject({
      scope: 'all',
      metric: 'p99',
      limit: 200,
    });
    expect(parseScenarioThreshold('create:p95<0.5s', known)).toMatchObject({
      scope: 'create',
      metric: 'p95',
      limit: 500,
    });
    expect(parseScenarioThreshold('create.post: errors<1%', known)).toMatchObject({
      scope: 'create.post',
      metric: 'errors',
    });
    expect(parseScenarioThreshold('setup.login:p99<1s', known)).toMatchObject({ scope: 'setup.login' });
  });

  it('rejects unknown flows and steps, and bad expressions', () => {
    expect(() => parseScenarioThreshold('checkout:p99<1s', known)).toThrow(/no flow or step "checkout"/);
    expect(() => parseScenarioThreshold('create:p42<1s', known)).toThrow(/not a threshold/);
  });

  it('checks each threshold against its scope; not measured (NaN) fails', () => {
    const figures = (scope: string) =>
      scope === 'create'
        ? { latency: summary(300), errorRate: 0, rps: 12, ok: 24 }
        : { latency: summary(Number.NaN), errorRate: Number.NaN, rps: Number.NaN, ok: 0 };
    const results = evaluateScenarioThresholds(
      ['create:p99<500ms', 'create:rps>20', 'create.post:p99<500ms'].map((t) =>
        parseScenarioThreshold(t, known),
      ),
      figures,
    );
    expect(results.map((r) => [r.expression, r.actual, r.pass])).toEqual([
      ['create:p99<500ms', 300, true],
      ['create:rps>20', 12, false],
      ['create.post:p99<500ms', Number.NaN, false],
    ]);
  });

  it('fails a latency threshold of a scope with no success, as a plain run does, whatever its figure', () => {
    // A step that only failed: its latency summary is of nothing (null figures).
    const none = NO_LATENCY;
    const results = evaluateScenarioThresholds(
      [parseScenarioThreshold('create.post:p99<500ms', known)],
      () => ({
        latency: none,
        errorRate: 100,
        rps: 0,
        ok: 0,
      }),
    );
    expect(results.map((r) => [r.expression, r.scope, r.actual, r.pass, r.reason])).toEqual([
      ['create.post:p99<500ms', 'create.post', null, false, 'no successful response: no latency to judge'],
    ]);
  });

  it('adds the default error budget unless an errors threshold of any scope is given', () => {
    expect(
      resolveScenarioThresholds(['p99<1s'], known).map((t) => [t.expression, t.scope, t.source]),
    ).toEqual([
      ['p99<1s', 'all', 'user'],
      ['errors<0.1%', 'all', 'default'],
    ]);
    expect(resolveScenarioThresholds(['create:errors<5%'], known)).toHaveLength(1);
  });
});
