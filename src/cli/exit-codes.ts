import type { ErrorKind } from '../core/errors.js';

/**
 * Process exit codes. Stable: scripts and CI depend on them; `docs/cli.md`
 * documents them and `test/cli/exit-codes.test.ts` checks both agree.
 */
export const ExitCode = {
  /** Everything worked and every check passed. */
  ok: 0,
  /** The command worked, and a check it was asked to make failed (verify drift, a load threshold, a finding at or above --fail-on). */
  checkFailed: 1,
  /** The command line, config file or input files are wrong. */
  usage: 2,
  /** The environment failed: database unreachable, SQL error, I/O error, internal error. */
  runtime: 3,
  /** `tenon load` only: every threshold passed, but the load generator was saturated, so its figures cannot be trusted (a failed threshold gives checkFailed). */
  generatorSaturated: 4,
  /** `tenon load --compare` only: every threshold passed, and a figure regressed against the baseline beyond its tolerance (a failed threshold gives checkFailed). */
  baselineRegressed: 5,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error of the given kind. */
export function exitCodeForKind(kind: ErrorKind): ExitCodeValue {
  switch (kind) {
    case 'usage':
      return ExitCode.usage;
    case 'check':
      return ExitCode.checkFailed;
    case 'runtime':
      return ExitCode.runtime;
  }
}
