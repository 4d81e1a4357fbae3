import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { DbSignalSource, DbSignals } from '../../../src/core/signals/server-signals.js';
import { SignalRecorder } from '../../../src/load/signals/signal-recorder.js';

/** A database source that records the seconds it was sampled at; `slowMs(second)` delays each answer. */
function source(slowMs: (second: number) => number | 'never') {
  const seconds: number[] = [];
  const done: number[] = [];
  const db: DbSignalSource = {
    start: async () => {},
    async sample(second) {
      seconds.push(second);
      const ms = slowMs(second);
      if (ms === 'never') await new Promise(() => {});
      else await sleep(ms as number);
      done.push(second);
    },
    finish: async () => ({ series: [] }) as unknown as DbSignals,
    advise: async () => ({ plan: [], indexes: [], notes: [] }),
    close: async () => {},
  };
  return { db, seconds, done };
}

const now = () => performance.timeOrigin + performance.now();

describe('the signal recorder’s baseline', () => {
  it('takeBaseline waits for the sources’ first reading, and the clock then starts at the first interval', async () => {
    const s = source((second) => (second === 0 ? 150 : 0));
    const recorder = new SignalRecorder({ db: s.db, host: false, intervalMs: 100 });
    await recorder.prepare();
    await recorder.takeBaseline();
    // Read and done before the load would start.
    expect(s.done).toEqual([0]);
    const start = now();
    recorder.begin(start);
    await sleep(250);
    await recorder.finish(now());
    await recorder.close();
    // No second baseline: the points follow at 0.1, 0.2, …
    expect(s.seconds[0]).toBe(0);
    expect(s.seconds.slice(1).every((x) => x > 0)).toBe(true);
    expect(s.seconds[1]).toBe(0.1);
  });

  it('a baseline still being read at the end of the warmup holds the first interval back instead of losing it', async () => {
    // The baseline takes 2.5 intervals (a database busy under the warmup's load).
    const s = source((second) => (second === 0 ? 250 : 0));
    const recorder = new SignalRecorder({ db: s.db, host: false, intervalMs: 100 });
    await recorder.prepare();
    recorder.begin(now());
    await sleep(400);
    await recorder.finish(now());
    await recorder.close();
    expect(s.seconds[0]).toBe(0);
    // The first interval's point was taken (after the baseline), not skipped.
    expect(s.seconds[1]).toBe(0.1);
    expect(s.done.indexOf(0.1)).toBeGreaterThan(s.done.indexOf(0));
  });

  it('a source that never answers its baseline fails with TENON_LOAD_SIGNALS_TIMEOUT, and closing does not hang', async () => {
    const s = source((second) => (second === 0 ? 'never' : 0));
    const recorder = new SignalRecorder({ db: s.db, host: false, readyTimeoutMs: 200 });
    await recorder.prepare();
    await expect(recorder.takeBaseline()).rejects.toMatchObject({
      code: 'TENON_LOAD_SIGNALS_TIMEOUT',
      message: expect.stringMatching(/database \(--db\) does not answer/),
    });
    await recorder.close();
  });

  it('samples the machine on its own, without any server source', async () => {
    const recorder = new SignalRecorder({ intervalMs: 100 });
    expect(recorder.active).toBe(process.platform === 'linux');
  });
});
