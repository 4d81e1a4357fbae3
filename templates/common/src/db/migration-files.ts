import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<UTC yyyymmddHHMMSS>_<snake_name>.sql`, the same format as `tenon migrate`. */
export const MIGRATION_FILE_RE = /^(\d{14})_([a-z0-9][a-z0-9_]*)\.sql$/;

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

/** The migration files of `dir`, oldest first. */
export function readMigrations(dir: string): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: MigrationFile[] = [];
  for (const file of names.sort()) {
    const match = MIGRATION_FILE_RE.exec(file);
    if (!match) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    files.push({ version: match[1]!, name: match[2]!, file, checksum: migrationChecksum(text), ...parseMigration(text, file) });
  }
  return files;
}
