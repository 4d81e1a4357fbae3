import { formatDuration } from '../../core/duration.js';
// Values from the module that defines them, not from migrate/index.js, which would load lint and trace too.
import { describeLockHolder } from '../../migrate/advisory-lock.js';
import type { MigrateEvent } from '../../migrate/index.js';
import type { Colors } from './colors.js';
import { renderLintFindings } from './migrate-lint-report.js';
import type { Progress } from './progress.js';

/** What the migrate progress lines need besides the events. */
export interface MigrateProgressOptions {
  /** `migrate.lockWait`, to say how long a runner waits for the lock. */
  lockWaitMs: number;
  /** `migrate.lintOnUp`, named when `up` prints what lint found. */
  lintOnUp: string;
  /** Terminal width, for the lint findings table. */
  columns: number;
}

/**
 * Renders a Migrator's events: each migration (and each traced one) as a
 * milestone, statements on the live line, lock waits, retries, warnings
 * and what `up`'s lint found as lines.
 */
export function migrateProgress(
  progress: Progress,
  c: Colors,
  options: MigrateProgressOptions,
): (event: MigrateEvent) => void {
  const { lockWaitMs } = options;
  return (event) => {
    switch (event.type) {
      case 'lock-wait': {
        const holder = event.holder ? describeLockHolder(event.holder) : 'another runner';
        progress.line(
          c.yellow(`waiting up to ${formatDuration(lockWaitMs)} for the migration lock, held by ${holder}`),
        );
        break;
      }
      case 'lock-acquired':
        if (event.waitedMs > 50)
          progress.line(`got the migration lock after ${formatDuration(event.waitedMs)}`);
        break;
      case 'migration-start': {
        const verb = event.dryRun ? 'checking' : event.direction === 'up' ? 'applying' : 'rolling back';
        progress.milestone(`${verb} ${event.file}`);
        break;
      }
      case 'statement-start':
        progress.update(`${event.file}: statement ${event.index}/${event.total} (line ${event.line})`);
        break;
      case 'migration-done':
        progress.done();
        break;
      case 'retry':
        progress.line(
          c.yellow(
            `${event.file}: ${event.message}; retry ${event.attempt} in ${formatDuration(event.delayMs)}`,
          ),
        );
        break;
      case 'warning':
        progress.line(c.yellow(`warning: ${event.message}`));
        break;
      case 'trace-migration':
        progress.milestone(`tracing ${event.file}`);
        break;
      case 'lint': {
        const n = event.result.findings.length;
        if (n === 0) break;
        progress.line(
          `lint found ${n} problem${n > 1 ? 's' : ''} in the pending migrations (migrate.lintOnUp: ${options.lintOnUp}):\n${renderLintFindings(event.result.findings, c, options.columns).trimEnd()}`,
        );
        break;
      }
    }
  };
}
