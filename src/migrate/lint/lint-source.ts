import { isTenonError } from '../../core/errors.js';
import {
  type MigrationSections,
  normalizeMigrationText,
  parseMigrationFile,
} from '../../core/migration/migration-file.js';
import type { ParsedStatement } from '../../core/sql/parse.js';
import type { LintMigration, LintStatement } from './lint-rule.js';
import type { Node } from './sql-tree.js';

/** A file to lint: its name as shown in findings, and its text. */
export interface LintSource {
  file: string;
  text: string;
  /** A golang-migrate pair's sections, each from its own file, instead of markers in `text`. */
  sections?: MigrationSections | undefined;
  /** The file the down section is in, when not `file` (a golang-migrate pair's `.down.sql`). */
  downFile?: string | undefined;
}

/** A file that could not be linted: bad markers or SQL PostgreSQL cannot parse. */
export interface LintFileError {
  file: string;
  line: number | undefined;
  column: number | undefined;
  /** `TENON_MIGRATE_FILE_INVALID`, `TENON_SQL_PARSE_FAILED`. */
  code: string;
  message: string;
}

/** One section of a file, parsed, with what is needed to place findings in the file. */
export interface ParsedSection {
  migration: LintMigration;
  /** The section's SQL as parsed (parse-tree locations are byte offsets into it). */
  sql: string;
  /** Lines of the file before the section's SQL. */
  lineOffset: number;
  /** Byte ranges of the statements. */
  ranges: { index: number; start: number; end: number }[];
  /** 1-based line and column in the file of a byte offset into {@link ParsedSection.sql}. */
  position(byteOffset: number): { line: number; column: number };
}

// dbmate's marker, or goose's (parseMigrationFile reads both).
const UP_MARKER = /^\s*--\s*(?:migrate:up\b|\+goose\s+[Uu][Pp]\s*$)/m;

function toLintStatement(statement: ParsedStatement, index: number): LintStatement {
  return {
    index,
    kind: statement.kind,
    stmt: (statement.node[statement.kind] ?? {}) as Node,
    text: statement.text,
    line: statement.line,
    column: statement.column,
    nonTransactional: statement.nonTransactional,
    longIdentifiers: [],
  };
}

/**
 * Runs of characters that could form one identifier longer than 63 bytes: at least 16 characters
 * (a character takes at most 4 bytes), so the many short words of a file are never collected.
 */
const LONG_RUN = /[\p{L}\p{N}_$]{16,}/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included.
const ASCII = /^[\x00-\x7f]*$/;

/** True when some word of the text is longer than 63 bytes: only then is the scanner needed. */
function hasLongWord(sql: string): boolean {
  // Plain ASCII (the usual migration): a byte per character, one scan.
  if (ASCII.test(sql)) return /[A-Za-z0-9_$]{64}/.test(sql);
  for (const match of sql.matchAll(LONG_RUN)) if (Buffer.byteLength(match[0], 'utf8') > 63) return true;
  return false;
}

/** Finds identifiers longer than PostgreSQL's 63 bytes with the scanner, which sees them whole. */
async function markLongIdentifiers(
  sql: string,
  statements: LintStatement[],
  ranges: { start: number; end: number }[],
) {
  if (!hasLongWord(sql)) return;
  // libpg-query (WebAssembly) loads on first use, so commands that never lint never pay for it.
  const { scanTokens } = await import('../../core/sql/pg-wasm.js');
  const { tokens } = await scanTokens(sql);
  for (const token of tokens) {
    if (token.tokenName !== 'IDENT' && token.keywordName === 'NO_KEYWORD') continue;
    const text = token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text;
    if (Buffer.byteLength(text, 'utf8') <= 63) continue;
    const i = ranges.findIndex((r) => r.start <= token.start && token.start < Math.max(r.end, r.start + 1));
    const statement = statements[i];
    if (statement)
      (statement.longIdentifiers as { text: string; location: number }[]).push({
        text,
        location: token.start,
      });
  }
}

async function parseSection(
  file: string,
  section: 'up' | 'down',
  sql: string,
  firstLine: number,
  forceOutside: boolean,
): Promise<ParsedSection> {
  const lineOffset = firstLine - 1;
  const { lineAndColumn, parseSql } = await import('../../core/sql/parse.js');
  const parsed = sql.trim() ? await parseSql(sql, { file, lineOffset }) : [];
  const statements = parsed.map((s, i) => toLintStatement(s, i + 1));
  await markLongIdentifiers(sql, statements, parsed);
  const bytes = Buffer.from(sql, 'utf8');
  return {
    migration: {
      file,
      section,
      transactional: !forceOutside && statements.every((s) => !s.nonTransactional),
      statements,
    },
    sql,
    lineOffset,
    ranges: parsed.map((s, i) => ({ index: i + 1, start: s.start, end: s.end })),
    position(byteOffset) {
      const { line, column } = lineAndColumn(bytes, byteOffset);
      return { line: line + lineOffset, column };
    },
  };
}

/**
 * Splits a file into its up (and, when asked, down) section and parses
 * them. A `.sql` file without `-- migrate:up` (or goose's `-- +goose Up`) is linted as one plain script,
 * so files of other tools can be linted too. Problems come back as
 * {@link LintFileError}s instead of being thrown, so one bad file does not
 * hide the findings of the others.
 */
export async function parseLintSource(
  source: LintSource,
  options: { down: boolean },
): Promise<{ sections: ParsedSection[]; error?: LintFileError }> {
  const text = normalizeMigrationText(source.text);
  try {
    if (!source.sections && !UP_MARKER.test(text)) {
      return { sections: [await parseSection(source.file, 'up', text, 1, false)] };
    }
    const sections = source.sections ?? parseMigrationFile(text, source.file);
    const out = [
      await parseSection(source.file, 'up', sections.up, sections.upLine, !sections.upTransaction),
    ];
    if (options.down && sections.down && sections.downLine !== undefined) {
      out.push(
        await parseSection(
          source.downFile ?? source.file,
          'down',
          sections.down,
          sections.downLine,
          !sections.downTransaction,
        ),
      );
    }
    return { sections: out };
  } catch (error) {
    if (!isTenonError(error)) throw error;
    const details = error.details as { line?: number; column?: number };
    return {
      sections: [],
      error: {
        file: source.file,
        line: details.line,
        column: details.column,
        code: error.code,
        message: error.message,
      },
    };
  }
}
