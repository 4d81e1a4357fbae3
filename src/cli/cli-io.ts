/** A place to write text: `process.stdout`, `process.stderr`, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Everything the CLI takes from the outside world, so tests can run it in
 * process with captured output and a fake environment.
 */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width for tables and progress lines. */
  columns: number;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM; long commands stop and clean up. */
  signal: AbortSignal;
}

/** The {@link CliIo} of the running process. */
export function processIo(signal: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns || process.stdout.columns || 100,
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}
