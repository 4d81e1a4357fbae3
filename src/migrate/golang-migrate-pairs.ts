import { TenonError } from '../core/errors.js';
import type { MigrationSections } from '../core/migration/migration-file.js';

/**
 * golang-migrate's layout: `<version>_<name>.up.sql` and
 * `<version>_<name>.down.sql`, the version a number of up to 14 digits
 * (sequential `1`, `0001`, or a timestamp). The name takes the characters
 * tenon's own names do.
 */
export const GOLANG_PAIR_RE = /^(\d{1,14})_([A-Za-z0-9][A-Za-z0-9_-]*)\.(up|down)\.sql$/;

/** One golang-migrate migration: its up file, and its down file when there is one. */
export interface GolangPair {
  /** The number zero-padded to 14 digits, so that pairs sort among themselves and among tenon's files. */
  version: string;
  name: string;
  upFile: string;
  downFile: string | undefined;
}

/**
 * Groups `.up.sql` / `.down.sql` names into pairs by version.
 *
 * @throws TenonError `TENON_MIGRATE_FILE_INVALID` for a down file without its
 *   up file, for an up and a down whose names differ, or for two up (or two
 *   down) files with one version (`1_a.up.sql` and `001_a.up.sql`).
 */
export function golangPairs(names: readonly string[], dir: string): GolangPair[] {
  const byVersion = new Map<string, { name: string; up: string[]; down: string[] }>();
  for (const file of names) {
    const [, number, name, direction] = GOLANG_PAIR_RE.exec(file)!;
    const version = number!.padStart(14, '0');
    const entry = byVersion.get(version) ?? { name: name!, up: [], down: [] };
    if (entry.name !== name)
      throw invalid(
        dir,
        `${[...entry.up, ...entry.down, file].sort().join(', ')} have one version and different names`,
      );
    (direction === 'up' ? entry.up : entry.down).push(file);
    byVersion.set(version, entry);
  }
  const pairs: GolangPair[] = [];
  for (const [version, entry] of byVersion) {
    if (entry.up.length === 0) throw invalid(dir, `${entry.down[0]} has no .up.sql file`);
    if (entry.up.length > 1 || entry.down.length > 1)
      throw invalid(dir, `${[...entry.up, ...entry.down].sort().join(', ')} have one version`);
    pairs.push({ version, name: entry.name, upFile: entry.up[0]!, downFile: entry.down[0] });
  }
  return pairs;
}

/**
 * The sections of a pair, each starting on line 1 of its own file (errors
 * name the file and line the SQL is on). A missing down file is a migration
 * without a down section: irreversible, as a tenon file without
 * `-- migrate:down` is.
 */
export function pairSections(upText: string, downText: string | undefined): MigrationSections {
  return {
    up: upText,
    upLine: 1,
    down: downText,
    downLine: downText === undefined ? undefined : 1,
    upTransaction: true,
    downTransaction: true,
  };
}

/**
 * The pair as one tenon file, which its checksum is taken of: the same text
 * the loop in docs/migrate.md ("Coming from another tool") used to write, so
 * a database migrated from joined files sees the same checksums.
 */
export function joinedPairText(upText: string, downText: string | undefined): string {
  return `-- migrate:up\n${upText}\n-- migrate:down\n${downText ?? ''}`;
}

function invalid(dir: string, what: string): TenonError {
  return new TenonError('TENON_MIGRATE_FILE_INVALID', `golang-migrate files in ${dir}: ${what}.`, {
    hint: 'Each migration is <number>_<name>.up.sql, with an optional <number>_<name>.down.sql of the same number and name.',
    details: { dir },
  });
}
