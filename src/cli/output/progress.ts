import type { TextSink } from '../cli-io.js';

/**
 * Progress of a long command on stderr. On a terminal: one live status line,
 * redrawn in place. Otherwise (CI, `| tee`, a log file): plain milestone
 * lines, so a long run is never silent, and nothing that needs a terminal.
 * stdout is never touched, so `--json` output stays clean.
 */
export interface Progress {
  /** Frequent detail (a statement, a second of load): the live line on a terminal, nothing otherwise. Throttled. */
  update(text: string): void;
  /** A step worth a line in a log (a migration starts, a check runs): the live line on a terminal, a line otherwise. */
  milestone(text: string): void;
  /** A message that stays on both (a finished step, a warning); clears the live line first. */
  line(text: string): void;
  /** Clears the live line (call before printing results). */
  done(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Terminal width: live lines are cut to fit. */
  columns: number;
  /** The clock, for the throttle (tests). */
  now?: () => number;
}

/**
 * A {@link Progress} on `stderr`: live when `isTTY`, milestone lines
 * otherwise. The live line is redrawn at most every 100 ms; milestones and
 * lines are never dropped.
 */
export function createProgress(stderr: TextSink, isTTY: boolean, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  if (!isTTY) {
    return {
      update() {},
      milestone: (text) => stderr.write(`${text}\n`),
      line: (text) => stderr.write(`${text}\n`),
      done() {},
    };
  }
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  const draw = (text: string) => {
    last = now();
    shown = true;
    stderr.write(`\r\x1b[2K${text.slice(0, Math.max(10, options.columns - 1))}`);
  };
  const clear = () => {
    if (shown) stderr.write('\r\x1b[2K');
    shown = false;
  };
  return {
    update(text) {
      if (now() - last >= 100) draw(text);
    },
    milestone: draw,
    line(text) {
      clear();
      stderr.write(`${text}\n`);
    },
    done: clear,
  };
}
