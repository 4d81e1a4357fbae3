import { spawn } from 'node:child_process';
import { TenonError } from '../core/errors.js';

/** Progress of {@link installDependencies}: each line npm prints. */
export type InstallEvent = { type: 'npm-output'; line: string };

/** Options of {@link installDependencies}. */
export interface InstallOptions {
  /** The npm executable (default `npm`). */
  npm?: string;
  signal?: AbortSignal;
  /** Progress: each line npm prints. */
  onEvent?: (event: InstallEvent) => void;
}

/**
 * Runs `npm install` in a generated project (which also writes its
 * package-lock.json, needed by `npm ci` in its CI and Dockerfile).
 *
 * @throws TenonError `TENON_SCAFFOLD_INSTALL_FAILED` with npm's last lines.
 */
export function installDependencies(dir: string, options: InstallOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.npm ?? 'npm', ['install', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        options.onEvent?.({ type: 'npm-output', line });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (cause) =>
      reject(
        new TenonError('TENON_SCAFFOLD_INSTALL_FAILED', `npm install could not start in ${dir}.`, {
          cause,
          hint: 'Is npm on PATH?',
        }),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        reject(
          new TenonError(
            'TENON_SCAFFOLD_INSTALL_FAILED',
            `npm install failed in ${dir} (exit ${code}):\n${tail.join('\n')}`,
            {
              hint: 'The project was generated; fix the cause and run npm install in it.',
              details: { dir, exitCode: code },
            },
          ),
        );
      }
    });
  });
}
