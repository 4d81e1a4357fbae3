import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The newest 14-digit version among a project's `migrations/` files; '' when there are none. */
export function latestMigrationVersion(dir: string): string {
  const migrations = join(dir, 'migrations');
  if (!existsSync(migrations)) return '';
  return (
    readdirSync(migrations)
      .map((f) => /^(\d{14})_/.exec(f)?.[1] ?? '')
      .sort()
      .at(-1) ?? ''
  );
}

/**
 * The version of a new migration: `now` as YYYYMMDDHHMMSS, moved on by
 * seconds until it sorts after `after` (a clock behind the last migration
 * still gives a later version).
 */
export function nextVersion(now: Date, after: string): string {
  let date = now;
  const version = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  while (version(date) <= after) date = new Date(date.getTime() + 1000);
  return version(date);
}
