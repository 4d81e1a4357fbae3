import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `<UTC yyyymmddHHMMSS>_<name>.sql`, the names `tenon migrate` reads: the
 * name has letters of either case, digits, `_` and `-` (dbmate writes
 * `20211115181400_update-auth-permissions.sql`).
 */
export const MIGRATION_FILE_RE = /^(\d{14})_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;

/**
 * golang-migrate's pairs, which `tenon migrate` reads too: `<number>_<name>.up.sql`
 * and an optional `<number>_<name>.down.sql`; the version is the number
 * zero-padded to 14 digits.
 */
export const PAIR_FILE_RE = /^(\d{1,14})_([A-Za-z0-9][A-Za-z0-9_-]*)\.(up|down)\.sql$/;

/** One migration file. */
export interface MigrationFile {
  version: string;
  name: string;
  file: string;
  checksum: string;
  up: string;
  down: string | undefined;
}

/** Removes a byte order mark and turns CRLF (and lone CR) into LF. */
export function normalizeMigrationText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** SHA-256 (hex) of the normalized file: the checksum `tenon migrate` records too. */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(normalizeMigrationText(text), 'utf8').digest('hex');
}

/** Splits a file at its `-- migrate:up` / `-- migrate:down` markers. */
export function parseMigration(text: string, file: string): { up: string; down: string | undefined } {
  const lines = normalizeMigrationText(text).split('\n');
  const upAt = lines.findIndex((l) => /^--\s*migrate:up\b/.test(l.trim()));
  const downAt = lines.findIndex((l) => /^--\s*migrate:down\b/.test(l.trim()));
  if (upAt < 0) throw new Error(`${file}: no "-- migrate:up" marker`);
  if (downAt >= 0 && downAt < upAt) throw new Error(`${file}: "-- migrate:down" comes before "-- migrate:up"`);
  return {
    up: lines.slice(upAt + 1, downAt < 0 ? undefined : downAt).join('\n'),
    down: downAt < 0 ? undefined : lines.slice(downAt + 1).join('\n'),
  };
}

/**
 * The migration files of `dir`, oldest first. Reads the names `tenon migrate`
 * reads, and refuses the `.sql` files it refuses (rather than skip them, which
 * would leave a migration unapplied without a word).
 */
export function readMigrations(dir: string): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.sql'));
  } catch {
    return [];
  }
  const bad = names.filter((name) => !MIGRATION_FILE_RE.test(name) && !PAIR_FILE_RE.test(name));
  if (bad.length > 0)
    throw new Error(
      `${dir}: not named as migrations: ${bad.sort().join(', ')} (expected <yyyymmddHHMMSS>_<name>.sql, or <number>_<name>.up.sql / .down.sql)`,
    );
  const files: MigrationFile[] = [];
  const pairs = new Map<string, { name: string; up?: string; down?: string }>();
  for (const file of names.sort()) {
    const match = MIGRATION_FILE_RE.exec(file);
    if (match) {
      const text = readFileSync(join(dir, file), 'utf8');
      files.push({ version: match[1]!, name: match[2]!, file, checksum: migrationChecksum(text), ...parseMigration(text, file) });
      continue;
    }
    const [, number, name, direction] = PAIR_FILE_RE.exec(file)!;
    const version = number!.padStart(14, '0');
    const pair = pairs.get(version) ?? { name: name! };
    if (pair.name !== name || (direction === 'up' ? pair.up : pair.down) !== undefined)
      throw new Error(`${dir}: ${file} has the version of another migration file`);
    pairs.set(version, { ...pair, [direction!]: file });
  }
  for (const [version, pair] of pairs) {
    if (pair.up === undefined) throw new Error(`${dir}: ${pair.down} has no .up.sql file`);
    const up = readFileSync(join(dir, pair.up), 'utf8');
    const down = pair.down === undefined ? undefined : readFileSync(join(dir, pair.down), 'utf8');
    // The checksum `tenon migrate` records for a pair: the two joined as one file.
    const joined = `-- migrate:up\n${up}\n-- migrate:down\n${down ?? ''}`;
    files.push({ version, name: pair.name, file: pair.up, checksum: migrationChecksum(joined), up, down });
  }
  const versions = new Set<string>();
  for (const f of files) {
    if (versions.has(f.version)) throw new Error(`${dir}: two migration files have version ${f.version}`);
    versions.add(f.version);
  }
  return files.sort((a, b) => a.version.localeCompare(b.version));
}
