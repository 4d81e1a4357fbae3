import type { TextSink } from '../cli-io.js';

/** A single live status line on stderr. */
export interface Progress {
  /** Replaces the line. Throttled; cheap to call often. */
  update(text: string): void;
  /** Clears the line (call before printing results). */
  done(): void;
}

/**
 * A live progress line on stderr, drawn only when stderr is a terminal so
 * logs and pipes stay clean. Redraws at most every 100 ms.
 */
export function createProgress(stderr: TextSink, isTTY: boolean, columns: number): Progress {
  if (!isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stderr.write(`\r\x1b[2K${text.slice(0, Math.max(10, columns - 1))}`);
    },
    done() {
      if (shown) stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
