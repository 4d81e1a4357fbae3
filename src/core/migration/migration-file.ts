import { createHash } from 'node:crypto';
import { TenonError } from '../errors.js';
import { gooseMarker } from './goose-markers.js';

/**
 * The migration file format, shared by `tenon migrate`, the fixes that
 * `tenon db --write-migrations` writes, the migrations `tenon new` and
 * `tenon generate` write, and the runner inside generated projects (which
 * has its own copy in the templates, checked against this one by
 * test/scaffold/generated-migrator.int.test.ts). It lives in core so that
 * those parts share it without importing each other:
 *
 * ```sql
 * -- migrate:up
 * create table users (id bigint generated always as identity primary key);
 *
 * -- migrate:down
 * drop table users;
 * ```
 *
 * File names are `<UTC yyyymmddHHMMSS>_<snake_name>.sql`. Names that dbmate
 * writes and reads are read too: letters of either case, digits, `_` and `-`
 * after the version (`20211115181400_update-auth-permissions.sql`).
 */
export const MIGRATION_FILE_RE = /^(\d{14})_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;

const UP_MARKER = /^--\s*migrate:up\b(.*)$/;
const DOWN_MARKER = /^--\s*migrate:down\b(.*)$/;

/** The statements of a migration before they are written to a file: up, and the down that undoes them. */
export interface MigrationSql {
  up: string[];
  down: string[];
}

/** A migration file's two sections. */
export interface MigrationSections {
  /** SQL of the up section (may be empty only if the file is invalid). */
  up: string;
  /** 1-based line where the up section's SQL starts (the line after the marker). */
  upLine: number;
  /** SQL of the down section; `undefined` when the file has no down marker. Empty string: irreversible. */
  down: string | undefined;
  /** 1-based line where the down section's SQL starts. */
  downLine: number | undefined;
  /** False when the up marker says `transaction:false` (dbmate's option): the section runs statement by statement. */
  upTransaction: boolean;
  /** False when the down marker says `transaction:false`. */
  downTransaction: boolean;
}

/**
 * Reads the options after a marker, as dbmate writes them
 * (`-- migrate:up transaction:false`). `transaction` is the only option;
 * other text after the marker is a comment. A `transaction:` with a value
 * other than true or false is an error, so a typo does not silently run a
 * migration in a transaction it was meant to avoid; so is `FALSE` or `True`,
 * which dbmate reads as true and a reader would take for false.
 */
function markerTransaction(rest: string, file: string, line: number): boolean {
  const match = /(?:^|\s)transaction:(\S*)/.exec(rest);
  if (!match) return true;
  const value = match[1]!;
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (['false', 'true'].includes(value.toLowerCase())) {
    // dbmate runs a section outside a transaction only for exactly `false`: it reads
    // `transaction:FALSE` as true. Guessing either way runs the file differently somewhere.
    throw invalid(
      file,
      `"transaction:${value}" on line ${line}: the value is lowercase \`true\` or \`false\``,
      `dbmate reads "transaction:${value}" as true (it runs the section in a transaction; only a lowercase "false" does not), so tenon will not guess: write "transaction:${value.toLowerCase()}" if the section must run ${value.toLowerCase() === 'false' ? 'outside a transaction' : 'in one transaction'}, or remove the option.`,
    );
  }
  throw invalid(file, `"transaction:${value}" on line ${line}: the value must be true or false`);
}

/** The version for a migration created at `date`: its UTC time as `yyyymmddHHMMSS`. */
export function migrationVersion(date: Date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `Add users.email index` → `add_users_email_index`. */
export function toSnakeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** `20261126101500_create_users.sql`. */
export function migrationFileName(version: string, name: string): string {
  const snake = toSnakeName(name);
  if (!snake) {
    throw new TenonError('TENON_MIGRATE_FILE_INVALID', `"${name}" is not a usable migration name.`, {
      hint: 'Use letters and digits, e.g. create_users or add_orders_customer_index.',
    });
  }
  return `${version}_${snake}.sql`;
}

/** The text of a migration file with both markers. */
export function renderMigrationFile(sections: { up: string; down: string; header?: string }): string {
  const header = sections.header
    ? `${sections.header
        .split('\n')
        .map((line) => `-- ${line}`.trimEnd())
        .join('\n')}\n\n`
    : '';
  const up = sections.up.trim();
  const down = sections.down.trim();
  return `${header}-- migrate:up\n${up ? `${up}\n` : ''}\n-- migrate:down\n${down ? `${down}\n` : ''}`;
}

/** Removes a byte order mark and turns CRLF (and lone CR) into LF. */
export function normalizeMigrationText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * The checksum recorded in the history table: SHA-256 (hex) of the whole
 * file after {@link normalizeMigrationText}, so line endings and a BOM do
 * not count as changes but any other edit does.
 */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(normalizeMigrationText(text), 'utf8').digest('hex');
}

/**
 * Splits a migration file into its sections.
 *
 * @throws TenonError `TENON_MIGRATE_FILE_INVALID` when the up marker is missing,
 *   a marker appears twice, or down comes before up.
 */
export function parseMigrationFile(text: string, file: string): MigrationSections {
  // One split per file and text in a process: `up` reads the sections for the server's grammar,
  // for planning and for lint. Each caller gets its own copy of the (flat) result.
  const key = `${file}\u0000${text}`;
  let sections = sectionsByText.get(key);
  if (!sections) {
    sections = splitSections(text, file);
    sectionsByText.set(key, sections);
  }
  return { ...sections };
}

const sectionsByText = new Map<string, MigrationSections>();

function splitSections(text: string, file: string): MigrationSections {
  const lines = normalizeMigrationText(text).split('\n');
  let upAt: number | undefined;
  let downAt: number | undefined;
  let upTransaction = true;
  let downTransaction = true;
  // dbmate's markers or goose's, never both: a file with both would be read two ways.
  let dialect: 'dbmate' | 'goose' | undefined;
  const use = (seen: 'dbmate' | 'goose', index: number) => {
    if (dialect && dialect !== seen)
      throw invalid(
        file,
        `goose and dbmate markers in one file (line ${index + 1})`,
        'Use "-- migrate:up" / "-- migrate:down" or "-- +goose Up" / "-- +goose Down", not both.',
      );
    dialect = seen;
  };
  let gooseNoTransaction = false;
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    const up = UP_MARKER.exec(trimmed);
    const down = up ? null : DOWN_MARKER.exec(trimmed);
    const goose = up || down ? undefined : gooseMarker(trimmed);
    if (up) {
      use('dbmate', index);
      if (upAt !== undefined) throw invalid(file, `a second "-- migrate:up" marker on line ${index + 1}`);
      upAt = index;
      upTransaction = markerTransaction(up[1] ?? '', file, index + 1);
    } else if (down) {
      use('dbmate', index);
      if (downAt !== undefined) throw invalid(file, `a second "-- migrate:down" marker on line ${index + 1}`);
      downAt = index;
      downTransaction = markerTransaction(down[1] ?? '', file, index + 1);
    } else if (goose === 'up' || goose === 'down') {
      use('goose', index);
      const at = goose === 'up' ? upAt : downAt;
      if (at !== undefined)
        throw invalid(file, `a second "-- +goose ${goose === 'up' ? 'Up' : 'Down'}" on line ${index + 1}`);
      if (goose === 'up') upAt = index;
      else downAt = index;
    } else if (goose === 'no-transaction') {
      use('goose', index);
      gooseNoTransaction = true;
    } else if (goose === 'envsub' || goose === 'unknown') {
      throw invalid(
        file,
        `"${trimmed}" on line ${index + 1} is not supported`,
        goose === 'envsub'
          ? 'tenon does not substitute environment variables into migrations: write the values into the SQL.'
          : 'tenon reads the goose annotations Up, Down, StatementBegin, StatementEnd and NO TRANSACTION.',
      );
    }
  });
  if (gooseNoTransaction) {
    upTransaction = false;
    downTransaction = false;
  }
  if (upAt === undefined) throw invalid(file, 'no "-- migrate:up" marker');
  if (downAt !== undefined && downAt < upAt)
    throw invalid(
      file,
      dialect === 'goose'
        ? '"-- +goose Down" comes before "-- +goose Up"'
        : '"-- migrate:down" comes before "-- migrate:up"',
    );
  const up = lines.slice(upAt + 1, downAt ?? lines.length).join('\n');
  const down = downAt === undefined ? undefined : lines.slice(downAt + 1).join('\n');
  return {
    up,
    upLine: upAt + 2,
    down: down?.trim() === '' ? '' : down,
    downLine: downAt === undefined ? undefined : downAt + 2,
    upTransaction,
    downTransaction,
  };
}

function invalid(file: string, what: string, hint?: string): TenonError {
  return new TenonError('TENON_MIGRATE_FILE_INVALID', `${file}: ${what}.`, {
    hint:
      hint ??
      'A migration file has "-- migrate:up" followed by its SQL, then optionally "-- migrate:down" and the SQL that undoes it (goose\'s "-- +goose Up" and "-- +goose Down" are read too).',
    details: { file },
  });
}
