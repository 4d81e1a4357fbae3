import { formatDuration } from '../../core/duration.js';
import { describeLockHolder, type MigrateEvent } from '../../migrate/index.js';
import type { Colors } from './colors.js';
import type { Progress } from './progress.js';

/**
 * Renders a Migrator's events: each migration as a milestone, statements on
 * the live line, lock waits, retries and warnings as lines.
 */
export function migrateProgress(
  progress: Progress,
  c: Colors,
  lockWaitMs: number,
): (event: MigrateEvent) => void {
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
    }
  };
}
