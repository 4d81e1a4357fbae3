import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { runTenon } from '../support/cli.js';

// Nothing listens on port 9 (discard); every case must be refused before a request is tried.
const URL = 'http://127.0.0.1:9/';

describe('tenon load: flags that do not combine with the mode are refused in one place, before any request', () => {
  it.each([
    [['--max-rate', '10'], 'TENON_LOAD_OPTIONS_INVALID', '--max-rate only apply to --find-capacity.'],
    [
      ['--confidence', '0.9', '--max-time', '1m'],
      'TENON_LOAD_OPTIONS_INVALID',
      '--confidence, --max-time only apply to --find-capacity.',
    ],
    [
      ['--find-capacity', '--slo', 'p99<1s', '--max-rate', '10', '--save-baseline', 'b.json'],
      'TENON_LOAD_OPTIONS_INVALID',
      '--save-baseline do not apply to --find-capacity yet.',
    ],
    [
      ['--scenario', 'flow.yaml', '--compare', 'b.json'],
      'TENON_LOAD_OPTIONS_INVALID',
      '--compare do not apply to --scenario yet.',
    ],
    [
      ['--scenario', 'flow.yaml', '--find-capacity'],
      'TENON_LOAD_OPTIONS_INVALID',
      '--find-capacity do not apply to --scenario yet.',
    ],
    [
      ['--emit-k8s', 'k8s', '--parallelism', '2', '--compare', 'b.json'],
      'TENON_LOAD_OPTIONS_INVALID',
      '--compare do not apply to distributed runs (yet).',
    ],
    [
      ['--emit-k8s', 'k8s', '--parallelism', '2', '--scenario', 'flow.yaml'],
      'TENON_LOAD_SHARD_INVALID',
      'Distributed runs take URLs, not --scenario (yet).',
    ],
  ])('%j', async (args, code, message) => {
    const r = await runTenon(['load', URL, ...args]);
    expect(r.code, r.stderr).toBe(ExitCode.usage);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toContain(message);
  });
});
