import { parseSql } from '../core/sql/index.js';
import { cString, readCString, wireMessage } from './wire-message.js';

/**
 * A statement that fails the way PostgreSQL fails a statement it cannot run:
 * PGlite itself answers with the ErrorResponse, so the transaction status,
 * the extended-protocol error state and ReadyForQuery stay PGlite's own.
 */
export const COPY_FROM_STDIN_REFUSAL =
  "DO $tenon$ BEGIN RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', " +
  "MESSAGE = 'COPY FROM STDIN is not supported by the embedded database server of tenon demo', " +
  "HINT = 'Send the rows with INSERT statements, or run against a server PostgreSQL (--database-url).'; END $tenon$";

/** Does this SQL text contain a `COPY … FROM STDIN` statement? */
export async function isCopyFromStdin(sql: string): Promise<boolean> {
  // Most statements never mention either word: skip the parser for them.
  if (!/copy/i.test(sql) || !/stdin/i.test(sql)) return false;
  try {
    const statements = await parseSql(sql);
    return statements.some((s) => {
      if (s.kind !== 'CopyStmt') return false;
      const copy = s.node.CopyStmt as { is_from?: boolean; filename?: string };
      return copy.is_from === true && copy.filename === undefined;
    });
  } catch {
    return false; // Not valid SQL: PGlite reports the syntax error itself.
  }
}

/**
 * Replaces every simple Query (`Q`) and Parse (`P`) message that would start
 * `COPY … FROM STDIN` with {@link COPY_FROM_STDIN_REFUSAL}. PGlite answers
 * such a COPY by reading its input to the end, finding no data there, and
 * exiting the host process; the client only sends the data after the
 * server's CopyInResponse, so the data can never be in the same input.
 */
export async function refuseCopyFromStdin(messages: readonly Buffer[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const message of messages) {
    const type = String.fromCharCode(message[0]!);
    if (type === 'Q') {
      const sql = readCString(message, 5);
      out.push(sql && (await isCopyFromStdin(sql.text)) ? queryMessage(COPY_FROM_STDIN_REFUSAL) : message);
    } else if (type === 'P') {
      const name = readCString(message, 5);
      const sql = name && readCString(message, name.end);
      out.push(
        name && sql && (await isCopyFromStdin(sql.text))
          ? wireMessage(
              'P',
              Buffer.concat([cString(name.text), cString(COPY_FROM_STDIN_REFUSAL), Buffer.from([0, 0])]),
            )
          : message,
      );
    } else {
      out.push(message);
    }
  }
  return out;
}

function queryMessage(sql: string): Buffer {
  return wireMessage('Q', cString(sql));
}
