/**
 * How an error is classified. The CLI maps each kind to a stable exit code
 * (see `src/cli/exit-codes.ts` and `docs/cli.md`):
 * - `usage`: the input is wrong (flags, config, files); fixing the input fixes it.
 * - `runtime`: the environment failed (database unreachable, SQL failed, I/O).
 * - `check`: the tool worked and a check it was asked to make did not pass.
 */
export type ErrorKind = 'usage' | 'runtime' | 'check';

/** One entry of the error code registry. */
export interface ErrorCodeInfo {
  readonly kind: ErrorKind;
  /** One sentence, the same as the line in docs/errors.md. */
  readonly summary: string;
}
