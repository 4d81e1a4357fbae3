/**
 * Small pieces of the PostgreSQL wire protocol (version 3) that
 * {@link servePglite} builds or reads itself; everything else passes through
 * to PGlite untouched.
 */

/** A protocol message: type byte, int32 length (itself included), body. */
export function wireMessage(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A NUL-terminated string. */
export function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

/** Reads the NUL-terminated string at `offset`; `undefined` when it has no terminator. */
export function readCString(buffer: Buffer, offset: number): { text: string; end: number } | undefined {
  const nul = buffer.indexOf(0, offset);
  if (nul < 0) return undefined;
  return { text: buffer.toString('utf8', offset, nul), end: nul + 1 };
}

/** Fields of an ErrorResponse this server writes itself. */
export interface WireError {
  severity: 'ERROR' | 'FATAL';
  /** SQLSTATE, e.g. `08P01` (protocol violation). */
  code: string;
  message: string;
  hint?: string;
}

/** An ErrorResponse (`E`) message. */
export function errorResponse(error: WireError): Buffer {
  const fields: Buffer[] = [
    Buffer.from('S'),
    cString(error.severity),
    Buffer.from('V'),
    cString(error.severity),
    Buffer.from('C'),
    cString(error.code),
    Buffer.from('M'),
    cString(error.message),
  ];
  if (error.hint) fields.push(Buffer.from('H'), cString(error.hint));
  fields.push(Buffer.from([0]));
  return wireMessage('E', Buffer.concat(fields));
}

/**
 * Message types a client may send after start-up (protocol 3.0–3.2), except
 * Terminate, which the server handles itself. PGlite's backend exits the
 * whole host process on a type it does not know, so anything else is
 * refused before it gets there.
 */
export const FRONTEND_MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'B', // Bind
  'C', // Close
  'd', // CopyData
  'c', // CopyDone
  'f', // CopyFail
  'D', // Describe
  'E', // Execute
  'F', // FunctionCall
  'H', // Flush
  'P', // Parse
  'Q', // Query
  'S', // Sync
]);
