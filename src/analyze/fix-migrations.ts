import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TenonError } from '../core/errors.js';
import {
  MIGRATION_FILE_RE,
  migrationFileName,
  migrationVersion,
  renderMigrationFile,
} from '../core/migration/migration-file.js';
import type { Finding } from './check.js';

/** Options of {@link writeFixMigrations}. */
export interface WriteFixMigrationsOptions {
  /** Folder of migration files (created when missing). */
  dir: string;
  /** Findings whose migration fixes to write (others are ignored). */
  findings: readonly Finding[];
  /** The time of the first version; later files get the following seconds. */
  now?: Date;
}

/** A migration file written for a finding. */
export interface WrittenMigration {
  path: string;
  version: string;
  name: string;
  /** The checks whose findings it fixes. */
  checks: string[];
}

/**
 * Writes one tenon migration file per index fix (CREATE INDEX CONCURRENTLY
 * with DROP INDEX CONCURRENTLY as its down; DROP INDEX CONCURRENTLY with
 * the index's definition as its down). One statement per file, since
 * concurrent index builds cannot share a transaction. Fixes that two checks
 * propose alike (missing-fk-index and missing-index) are written once.
 * Versions are unique even when several files are written in the same
 * second, and never collide with files already in the folder.
 *
 * @throws TenonError `TENON_ANALYZE_WRITE_FAILED`
 */
export async function writeFixMigrations(options: WriteFixMigrationsOptions): Promise<WrittenMigration[]> {
  const dir = resolve(options.dir);
  const fixes = new Map<string, { finding: Finding; checks: Set<string> }>();
  for (const finding of options.findings) {
    if (!finding.fix?.migration) continue;
    const key = finding.fix.up.replace(/\s+/g, ' ').toLowerCase();
    const entry = fixes.get(key) ?? { finding, checks: new Set<string>() };
    entry.checks.add(finding.check);
    fixes.set(key, entry);
  }
  if (fixes.size === 0) return [];
  try {
    await mkdir(dir, { recursive: true });
    const taken = new Set(
      (await readdir(dir))
        .map((f) => MIGRATION_FILE_RE.exec(f)?.[1])
        .filter((v): v is string => v !== undefined),
    );
    let time = (options.now ?? new Date()).getTime();
    const written: WrittenMigration[] = [];
    for (const { finding, checks } of fixes.values()) {
      const fix = finding.fix!;
      let version = migrationVersion(new Date(time));
      while (taken.has(version)) {
        time += 1000;
        version = migrationVersion(new Date(time));
      }
      taken.add(version);
      time += 1000;
      const name = migrationFileName(version, fix.name);
      const path = join(dir, name);
      const header = [
        `Written by tenon db (${[...checks].join(', ')}):`,
        finding.title,
        finding.recommendation,
      ].join('\n');
      await writeFile(path, renderMigrationFile({ header, up: fix.up, down: fix.down }), { flag: 'wx' });
      written.push({ path, version, name, checks: [...checks] });
    }
    return written;
  } catch (error) {
    throw new TenonError(
      'TENON_ANALYZE_WRITE_FAILED',
      `Could not write migrations to ${dir}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Check that the folder (migrate.dir) is writable.',
      },
    );
  }
}
