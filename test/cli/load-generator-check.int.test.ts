import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import type { LoadResult } from '../../src/load/index.js';
import { type CliRun, spawnTenon } from '../support/cli.js';
import { withCpuPressure } from '../support/cpu-pressure.js';
import { startDelayServer, type TestServer } from '../support/load-servers.js';

/** Runs the CLI as a process; `during` gets its pid while it runs (to stop and resume it). */
async function runProcess(
  args: string[],
  during?: (pid: number) => () => void,
  env?: Record<string, string>,
): Promise<CliRun> {
  const child = spawnTenon(args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  const stopDuring = during?.(child.pid!);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  stopDuring?.();
  return { code, stdout, stderr };
}

/**
 * Blocks the generator's event loop for real: SIGSTOP for `stopMs` every
 * `periodMs`, once the measurement has begun (the stops start after 1.5 s
 * of start-up). Every thread of the process stops, so sends and answers
 * both wait; the target, in this test process, does not.
 */
function stallEvery(stopMs: number, periodMs: number) {
  return (pid: number) => {
    const timers: NodeJS.Timeout[] = [];
    const tick = () => {
      try {
        process.kill(pid, 'SIGSTOP');
        timers.push(
          setTimeout(() => {
            try {
              process.kill(pid, 'SIGCONT');
            } catch {
              // ended
            }
          }, stopMs),
        );
      } catch {
        // ended
      }
    };
    timers.push(setTimeout(() => timers.push(setInterval(tick, periodMs)), 1500));
    return () => {
      for (const t of timers) clearTimeout(t);
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // ended
      }
    };
  };
}

// The generator is judged by its effect on the figures (docs/load.md), not by a fixed lag bound.
describe.sequential('tenon load: the generator judges itself by its effect on the figures', () => {
  let server: TestServer;
  let dir: string;
  const hogs: ChildProcess[] = [];
  beforeAll(async () => {
    server = await startDelayServer(5);
    dir = mkdtempSync(join(tmpdir(), 'tenon-load-generator-'));
  });
  afterAll(async () => {
    for (const hog of hogs) hog.kill('SIGKILL');
    await server.close();
  });
  const args = (rate: number, extra: string[] = []) => [
    'load',
    server.url,
    '--rate',
    String(rate),
    '-d',
    '3s',
    '--workers',
    '1',
    '--json',
    ...extra,
  ];

  it('a busy-loop process hogging a core does not flag sound runs at 10, 50 and 200 req/s against a 5 ms endpoint', async () => {
    // Bounded: it ends itself after 60 s even if this test dies.
    const hog = spawn(process.execPath, ['-e', 'const e = Date.now() + 60000; while (Date.now() < e) {}'], {
      stdio: 'ignore',
    });
    hogs.push(hog);
    // Killed when this test ends, not with the file: the next tests stall the generator themselves, and a
    // core burnt while they run only slows the other test files.
    onTestFinished(() => {
      hog.kill('SIGKILL');
    });
    for (const rate of [10, 50, 200]) {
      // Other work on this shared machine can stall the generator for real; then the flag is right.
      // A sound run among three shows the busy loop alone does not set it off. A run during which the
      // kernel saw the CPUs contended most of the time (beyond the hog: the generator, its target
      // and the hog alone leave a core between them) shows nothing either way: at load average ~30
      // all three runs were rightly flagged, 8 to 104 ms of own delay per request.
      const seen: string[] = [];
      let sound: LoadResult | undefined;
      let uncontended = 0;
      for (let attempt = 1; attempt <= 3 && !sound; attempt++) {
        const { result: r, pressure } = await withCpuPressure(() => runProcess(args(rate)));
        const result = JSON.parse(r.stdout) as LoadResult;
        const own = result.generator.ownDelay!;
        seen.push(
          `${rate} req/s run ${attempt}: exit ${r.code}, cpu pressure ${pressure.toFixed(2)}, own delay ${own.meanMs} ms (${own.share}%), lag p99 ${result.generator.eventLoopLag.p99} ms, ${result.generator.reasons.join('; ')}`,
        );
        if (pressure < 0.5) uncontended++;
        if (!result.generator.saturated) {
          expect(r.code, seen.join('\n')).toBe(ExitCode.ok);
          sound = result;
        }
      }
      if (!sound) {
        expect(uncontended, `flagged on CPUs mostly free:\n${seen.join('\n')}`).toBe(0);
        continue;
      }
      expect(sound.generator.ownDelay!.share).toBeLessThanOrEqual(20);
      expect(sound.status).toBe('pass');
    }
  }, 120_000);

  it('a blocked event loop in the generator is flagged (exit 4), with its own delay as evidence', async () => {
    const r = await runProcess(args(100), stallEvery(40, 250));
    const result = JSON.parse(r.stdout) as LoadResult;
    expect(result.generator.saturated, JSON.stringify(result.generator)).toBe(true);
    expect(r.code).toBe(ExitCode.generatorSaturated);
    expect(result.status).toBe('generator-saturated');
    expect(result.generator.ownDelay!.share).toBeGreaterThan(20);
    expect(result.generator.reasons[0]).toMatch(/the generator's own delay is [\d.]+ ms per request/);
    expect(result.recommendations[0]!.id).toBe('generator-saturated');
    expect(result.recommendations[0]!.evidence).toMatchObject({ tolerance: '20%' });
  });

  it('a failed threshold exits 1 even when the generator was saturated too, and both are reported', async () => {
    const out = join(dir, 'both.json');
    const r = await runProcess(
      [
        'load',
        server.url,
        '--rate',
        '100',
        '-d',
        '3s',
        '--workers',
        '1',
        '--threshold',
        'p50<1us',
        '--out',
        out,
      ],
      stallEvery(40, 250),
    );
    const result = JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
    expect(result.generator.saturated).toBe(true);
    expect(r.code).toBe(ExitCode.checkFailed);
    expect(result.status).toBe('threshold-failed');
    expect(r.stdout).toMatch(/SATURATED: the generator's own delay/);
    expect(r.stdout).toMatch(/result\s+FAIL: p50<1us not met \(and the generator was saturated\)/);
  });

  it('--max-lateness (and the config key) set the tolerance', async () => {
    const r = await runProcess(args(100, ['--max-lateness', '95%']), stallEvery(40, 250));
    const result = JSON.parse(r.stdout) as LoadResult;
    expect(result.options.maxLateness).toBe('95%');
    expect(result.generator.ownDelay!.tolerance).toBe('95%');
    expect(result.generator.saturated).toBe(result.generator.ownDelay!.share > 95);
    const bad = await runProcess(['load', server.url, '--rate', '10', '-d', '1s', '--max-lateness', 'soon']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toContain('TENON_CONFIG_INVALID');
    expect(bad.stderr).toContain('neither a share (20%) nor a duration (5ms)');
    const quick = ['load', server.url, '--rate', '10', '-d', '1s', '--workers', '1', '--json'];
    expect((JSON.parse((await runProcess(quick)).stdout) as LoadResult).options.maxLateness).toBe('20%');
    const fromEnv = await runProcess(quick, undefined, { TENON_LOAD_MAX_LATENESS: '3ms' });
    expect((JSON.parse(fromEnv.stdout) as LoadResult).options.maxLateness).toBe('3 ms');
  });
});
