import { readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { TenonError } from '../core/errors.js';
import {
  MIGRATION_FILE_RE,
  type MigrationSections,
  migrationChecksum,
  migrationFileName,
  migrationVersion,
  renderMigrationFile,
} from '../core/migration/migration-file.js';
import { groupForeignNames, someNames } from './foreign-file-names.js';
import { GOLANG_PAIR_RE, golangPairs, joinedPairText, pairSections } from './golang-migrate-pairs.js';

/** One migration file as read from disk; its SQL is parsed only when it is about to run. */
export interface MigrationSource {
  /** 14-digit UTC timestamp, e.g. `20261126101500`. */
  version: string;
  /** snake_case name from the file name. */
  name: string;
  /** File name, e.g. `20261126101500_create_users.sql` (golang-migrate: the `.up.sql` file). */
  file: string;
  /** Absolute path. */
  path: string;
  /** The file's text as read (not normalized); for a golang-migrate pair, the two joined as one tenon file. */
  text: string;
  /** SHA-256 of the normalized text, see `migrationChecksum`. */
  checksum: string;
  /** A golang-migrate pair's sections, each from its own file (line 1 is the file's first line). */
  sections?: MigrationSections;
  /** A golang-migrate pair's `.down.sql` file, when there is one. */
  downFile?: string;
}

/**
 * Reads every `*.sql` file of the migrations directory, sorted by version:
 * tenon's (and dbmate's and goose's) single files, and golang-migrate's
 * `N_name.up.sql` / `N_name.down.sql` pairs (see `golangPairs`). Files that
 * are not `.sql` are ignored (a README is fine). A `.sql` file with another
 * name, or two files with one version, is an error, so nothing runs on a
 * half-valid directory: names of another tool's format (Flyway's
 * `V1__x.sql`, versions that are not 14 digits) are named as such, with a
 * few examples (`details.files` has all).
 *
 * @throws TenonError `TENON_MIGRATE_DIR_NOT_FOUND`, `TENON_MIGRATE_FILE_INVALID`,
 *   `TENON_MIGRATE_DUPLICATE_VERSION`
 */
export async function readMigrationDir(dir: string, cwd: string = process.cwd()): Promise<MigrationSource[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
      .map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new TenonError(
        'TENON_MIGRATE_DIR_NOT_FOUND',
        `The migrations directory ${shown(dir, cwd)} does not exist.`,
        {
          cause: error,
          hint: 'Create the first migration with `tenon migrate create <name>`, or point --dir (migrate.dir) at your migrations.',
          details: { dir },
        },
      );
    }
    throw error;
  }
  const pairNames = names.filter((name) => GOLANG_PAIR_RE.test(name));
  const badNames = names.filter((name) => !MIGRATION_FILE_RE.test(name) && !GOLANG_PAIR_RE.test(name));
  if (badNames.length > 0) {
    // Name the format (golang-migrate pairs, Flyway, short versions) rather than list hundreds of names.
    const groups = groupForeignNames(badNames);
    const what = groups
      .map(
        (g) =>
          `${g.kind}, ${g.files.length === 1 ? '1 file' : `${g.files.length} files`}: ${someNames(g.files)}`,
      )
      .join('; ');
    throw new TenonError(
      'TENON_MIGRATE_FILE_INVALID',
      `${badNames.length === 1 ? 'A .sql file is' : `${badNames.length} .sql files are`} not named as tenon migrations in ${shown(dir, cwd)}: ${what}.`,
      {
        hint: `${groups.map((g) => (groups.length > 1 ? `${g.kind}: ${g.hint}` : g.hint)).join('. ')}.`,
        details: {
          dir,
          files: badNames.sort(),
          formats: Object.fromEntries(groups.map((g) => [g.kind, g.files])),
        },
      },
    );
  }
  const ownNames = names.filter((name) => MIGRATION_FILE_RE.test(name));
  const pairs = golangPairs(pairNames, shown(dir, cwd));
  const byVersion = new Map<string, string[]>();
  for (const name of ownNames) {
    const version = MIGRATION_FILE_RE.exec(name)![1]!;
    byVersion.set(version, [...(byVersion.get(version) ?? []), name]);
  }
  for (const pair of pairs)
    byVersion.set(pair.version, [...(byVersion.get(pair.version) ?? []), pair.upFile]);
  const duplicates = [...byVersion.entries()].filter(([, files]) => files.length > 1);
  if (duplicates.length > 0) {
    const list = duplicates.map(([version, files]) => `${version} (${files.sort().join(', ')})`).join('; ');
    throw new TenonError('TENON_MIGRATE_DUPLICATE_VERSION', `Duplicate migration versions: ${list}.`, {
      hint: 'Each version must be unique: rename one of the files to a later timestamp (keep the applied one as it is).',
      details: { dir, duplicates: Object.fromEntries(duplicates) },
    });
  }
  const sorted = ownNames.sort();
  // Synchronous on purpose: thousands of small files read one after another cost a
  // fraction of what as many promise-and-threadpool round trips do (status on 5,000).
  const texts = sorted.map((name) => readFileSync(join(dir, name), 'utf8'));
  const own = sorted.map((file, i): MigrationSource => {
    const match = MIGRATION_FILE_RE.exec(file)!;
    const text = texts[i]!;
    return {
      version: match[1]!,
      name: match[2]!,
      file,
      path: join(dir, file),
      text,
      checksum: migrationChecksum(text),
    };
  });
  if (pairs.length === 0) return own;
  const read = (file: string | undefined) => (file ? readFileSync(join(dir, file), 'utf8') : undefined);
  const fromPairs = pairs.map((pair): MigrationSource => {
    const up = read(pair.upFile)!;
    const down = read(pair.downFile);
    const text = joinedPairText(up, down);
    return {
      version: pair.version,
      name: pair.name,
      file: pair.upFile,
      path: join(dir, pair.upFile),
      text,
      checksum: migrationChecksum(text),
      sections: pairSections(up, down),
      ...(pair.downFile ? { downFile: pair.downFile } : {}),
    };
  });
  return [...own, ...fromPairs].sort((a, b) => a.version.localeCompare(b.version));
}

/** What {@link createMigrationFile} wrote. */
export interface CreatedMigration {
  version: string;
  name: string;
  file: string;
  path: string;
}

/**
 * Writes `<dir>/<UTC timestamp>_<snake_name>.sql` with both markers,
 * creating the directory when needed. When a file with the same version
 * exists (two creates in one second), the next free second is used so
 * versions stay unique.
 */
export async function createMigrationFile(
  dir: string,
  name: string,
  options: { now?: Date; up?: string; down?: string } = {},
): Promise<CreatedMigration> {
  await mkdir(dir, { recursive: true });
  const existing = new Set(
    (await readdir(dir))
      .map((file) => MIGRATION_FILE_RE.exec(file)?.[1] ?? GOLANG_PAIR_RE.exec(file)?.[1]?.padStart(14, '0'))
      .filter(Boolean),
  );
  let time = (options.now ?? new Date()).getTime();
  let version = migrationVersion(new Date(time));
  while (existing.has(version)) {
    time += 1000;
    version = migrationVersion(new Date(time));
  }
  const file = migrationFileName(version, name);
  const path = join(dir, file);
  await writeFile(path, renderMigrationFile({ up: options.up ?? '', down: options.down ?? '' }), {
    flag: 'wx',
  });
  return { version, name: MIGRATION_FILE_RE.exec(file)![2]!, file, path };
}

function shown(dir: string, cwd: string): string {
  const rel = relative(cwd, dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}
