import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TenonError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';

/**
 * Checks, before a run, that an output file (`--out`, `--html`) can be
 * written: its folder exists and is writable, and the path is not a folder.
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
