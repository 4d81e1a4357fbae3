import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { analyzeProgress } from '../../../src/cli/output/analyze-progress.js';
import { demoProgress } from '../../../src/cli/output/demo-progress.js';
import { loadProgress } from '../../../src/cli/output/load-progress.js';
import { migrateProgress } from '../../../src/cli/output/migrate-progress.js';
import { createProgress } from '../../../src/cli/output/progress.js';
import { generateProgress, installProgress } from '../../../src/cli/output/scaffold-progress.js';
import type { LoadProgress } from '../../../src/load/index.js';

const plain = picocolors.createColors(false);

/** A progress writing to a string, as when stderr is a pipe. */
function piped() {
  const sink = { text: '', write: (t: string) => (sink.text += t) };
  return { sink, progress: createProgress(sink, false, { columns: 100 }) };
}

function second(n: number): LoadProgress {
  return {
    elapsedSeconds: n,
    plannedSeconds: 25,
    requests: n * 10,
    errors: 0,
    p99: 2.5,
    point: {
      second: n,
      requests: 10,
      ok: 10,
      errors: 0,
      rps: 10,
      targetRps: 10,
      corrected: { p50: 1, p90: 2, p99: 2.5, max: 3 },
      service: { p50: 1, p90: 2, p99: 2.5, max: 3 },
      connectionsInUse: 1,
    },
  };
}

describe('progress renderers, stderr not a terminal', () => {
  it('load: the start, then one line per 10 s of measurement', () => {
    const { sink, progress } = piped();
    const on = loadProgress(progress);
    on({ type: 'run-start', model: 'open', workers: 2, warmupMs: 1000, durationMs: 25_000 });
    for (let s = 1; s <= 25; s++) on({ type: 'progress', progress: second(s) });
    expect(sink.text.split('\n').filter(Boolean)).toEqual([
      'load: open model, 2 workers, measuring for 25s after 1s of warmup',
      'load: 10/25s · target 10 · achieved 10 req/s · p99 2.50 ms · errors 0',
      'load: 20/25s · target 10 · achieved 10 req/s · p99 2.50 ms · errors 0',
    ]);
  });

  it('load: no p99 while nothing succeeded (a dead server is not "0.00 ms")', () => {
    const { sink, progress } = piped();
    const on = loadProgress(progress);
    for (let s = 1; s <= 10; s++)
      on({ type: 'progress', progress: { ...second(s), errors: s * 10, p99: 0 } });
    expect(sink.text.trim()).toBe('load: 10/25s · target 10 · achieved 10 req/s · p99 — · errors 100');
  });

  it('demo: each step when it starts and when it is done, not the seconds of its load', () => {
    const { sink, progress } = piped();
    const on = demoProgress(progress, plain);
    on({ type: 'step-start', step: 'load-before', index: 4, total: 10, message: 'before the fix' });
    on({ type: 'load-progress', step: 'load-before', progress: second(1) });
    on({ type: 'step-done', step: 'load-before', durationMs: 20_500, message: 'p99 3 ms' });
    expect(sink.text).toBe('[5/10] before the fix\n✓ [5/10] before the fix (20.50 s)\n  p99 3 ms\n');
  });

  it('migrate: each migration, lock waits, retries and warnings; not each statement', () => {
    const { sink, progress } = piped();
    const on = migrateProgress(progress, plain, { lockWaitMs: 60_000, lintOnUp: 'warn', columns: 100 });
    on({ type: 'lock-wait', key: '1', holder: undefined });
    on({ type: 'lock-acquired', key: '1', waitedMs: 2000 });
    on({
      type: 'migration-start',
      version: '1',
      name: 'a',
      file: '1_a.sql',
      direction: 'up',
      transactional: false,
      statements: 2,
      dryRun: false,
    });
    on({
      type: 'statement-start',
      version: '1',
      file: '1_a.sql',
      index: 1,
      total: 2,
      line: 2,
      sql: 'select 1',
    });
    on({ type: 'retry', version: '1', file: '1_a.sql', attempt: 1, delayMs: 250, message: 'lock timeout' });
    on({ type: 'warning', message: 'an index is invalid' });
    expect(sink.text.split('\n').filter(Boolean)).toEqual([
      'waiting up to 1m00s for the migration lock, held by another runner',
      'got the migration lock after 2.00s',
      'applying 1_a.sql',
      '1_a.sql: lock timeout; retry 1 in 250ms',
      'warning: an index is invalid',
    ]);
  });

  it('analyze and scaffold: each check; the model and the files; not npm’s output', () => {
    const { sink, progress } = piped();
    analyzeProgress(progress)({ type: 'check-start', id: 'slow-query', index: 6, total: 19 });
    generateProgress(progress)({ type: 'model-built', resources: 2, operations: 10, handlers: 3 });
    generateProgress(progress)({ type: 'files-rendered', files: 82 });
    installProgress(progress)({ type: 'npm-output', line: 'added 300 packages' });
    expect(sink.text).toBe(
      'checking slow-query (7/19)\nread 2 resource(s), 10 operation(s) (7 CRUD, 3 handler(s) of their own)\nrendered 82 file(s)\n',
    );
  });
});
