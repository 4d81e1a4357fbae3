import { accessSync, closeSync, constants, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TenonError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';

/**
 * Checks, before a run, that an output file (`--out`, `--html`) can be
 * written: its folder exists and is writable, the path is not a folder, and
 * the file opens for writing (a new file is created and removed again).
 * A run of minutes must not end in "cannot write".
 *
 * @returns the absolute path
 * @throws TenonError `TENON_LOAD_OUTPUT_INVALID`
 */
export function checkOutputFile(ctx: CliContext, flag: string, file: string): string {
  const path = resolve(ctx.io.cwd, file);
  const problem = (() => {
    try {
      const existing = statSync(path, { throwIfNoEntry: false });
      if (existing?.isDirectory()) return 'it is a folder';
      const folder = dirname(path);
      if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
        return `the folder ${folder} does not exist`;
      accessSync(existing ? path : folder, constants.W_OK);
      // access() says yes to root everywhere, and to folders where no file
      // can be made (/proc, a read-only mount seen through a bind): open the
      // file for writing once, without truncating it, and remove it if new.
      closeSync(openSync(path, existing ? 'r+' : 'wx'));
      if (!existing) unlinkSync(path);
      return undefined;
    } catch (cause) {
      return (cause as Error).message;
    }
  })();
  if (problem !== undefined) {
    throw new TenonError('TENON_LOAD_OUTPUT_INVALID', `${flag} ${path} cannot be written: ${problem}.`, {
      hint: 'Give a file in an existing, writable folder; nothing was run.',
    });
  }
  return path;
}

/**
 * Writes an output file of a load command (`--out`, `--html`, a baseline, a
 * shard result); `file` is resolved from the working directory.
 *
 * @returns the absolute path
 * @throws TenonError `code` (default `TENON_LOAD_OUTPUT_FAILED`)
 */
export function writeOutputFile(
  ctx: CliContext,
  file: string,
  text: string,
  code: 'TENON_LOAD_OUTPUT_FAILED' | 'TENON_LOAD_EMIT_FAILED' = 'TENON_LOAD_OUTPUT_FAILED',
): string {
  const path = resolve(ctx.io.cwd, file);
  try {
    writeFileSync(path, text);
  } catch (cause) {
    throw new TenonError(code, `Cannot write ${path}: ${(cause as Error).message}`, {
      cause,
      hint: 'Check that the folder exists and is writable.',
    });
  }
  return path;
}

/** Writes a finished run's `--out` JSON and `--html` report (paths checked before the run), saying where on stderr. */
export function writeRunOutputs(
  ctx: CliContext,
  paths: { out?: string | undefined; html?: string | undefined },
  result: unknown,
  renderHtml: () => string,
): void {
  if (paths.out) {
    const path = writeOutputFile(ctx, paths.out, `${JSON.stringify(result, null, 2)}\n`);
    ctx.err(ctx.colors.dim(`JSON result written to ${path}\n`));
  }
  if (paths.html) {
    const path = writeOutputFile(ctx, paths.html, renderHtml());
    ctx.err(ctx.colors.dim(`HTML report written to ${path}\n`));
  }
}
