/**
 * Byte-level helpers of `ResponseParser` (response-parser.ts): the header names framing reads, compared in place
 * without decoding, and the numbers of a response head (Content-Length, chunk sizes) read from bytes.
 * Kept apart from the parser's state machine; plain functions, so V8 inlines them into its loop.
 */

function lower(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text));
}
export const CONTENT_LENGTH = lower('content-length');
export const TRANSFER_ENCODING = lower('transfer-encoding');
export const CONNECTION = lower('connection');
export const KEEP_ALIVE = lower('keep-alive');
export const CLOSE = lower('close');

/** Case-insensitive comparison of `data[p, p+name.length)` with a lowercase ASCII name. */
export function nameIs(data: Buffer, p: number, len: number, name: Uint8Array): boolean {
  if (len !== name.length) return false;
  for (let i = 0; i < len; i++) {
    const c = data[p + i]!;
    const t = name[i]!;
    if (c !== t && !(t >= 97 && t <= 122 && c === t - 32)) return false;
  }
  return true;
}

/** The value of a hexadecimal digit; -1 for any other byte. */
export function isHex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses a decimal Content-Length value; -1 when malformed. */
export function parseLength(data: Buffer, start: number, end: number): number {
  if (start === end || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = data[i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
