/**
 * An incremental HTTP/1.x response parser made for a load generator: it
 * never copies or decodes bodies, never builds header objects, and accepts
 * bytes split anywhere. It reads only what framing needs — status, HTTP
 * version, Content-Length, Transfer-Encoding and Connection — and reports
 * each complete response through a callback.
 *
 * Handles Content-Length and chunked bodies (with extensions and trailers),
 * bodies delimited by the end of the connection, interim 1xx responses, and
 * the responses that never have a body (to HEAD, 204, 304).
 */

import {
  CLOSE,
  CONNECTION,
  CONTENT_LENGTH,
  isHex,
  KEEP_ALIVE,
  nameIs,
  parseLength,
  TRANSFER_ENCODING,
} from './http-head-bytes.js';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
/** Largest response head (status line and headers) accepted. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_TRAILER_BYTES = 64 * 1024;
const MAX_CHUNK_SIZE = 2 ** 48;

const HEAD = 0;
const BODY = 1;
const UNTIL_CLOSE = 2;
const CHUNK_SIZE = 3;
const CHUNK_EXT = 4;
const CHUNK_SIZE_LF = 5;
const CHUNK_DATA = 6;
const CHUNK_DATA_CR = 7;
const CHUNK_DATA_LF = 8;
const TRAILER_START = 9;
const TRAILER_LINE = 10;
const TRAILER_LINE_LF = 11;
const TRAILER_END_LF = 12;
const STOPPED = 13;

/** Called for every complete (final, non-1xx) response. */
export type ResponseCallback = (status: number, keepAlive: boolean) => void;

/**
 * Parses a stream of responses on one connection. Call {@link expect}
 * before each request is sent (it says whether the request was a HEAD),
 * {@link execute} with every chunk read, and {@link finish} at end of file.
 *
 * @example
 * ```ts
 * const parser = new ResponseParser((status, keepAlive) => record(status));
 * parser.expect(false);
 * if (!parser.execute(chunk)) fail(parser.error);
 * ```
 */
export class ResponseParser {
  /** Why parsing failed; set when {@link execute} or {@link finish} returns false. */
  error: string | undefined;
  /**
   * The head (status line and headers) of the last 429 response, for its
   * rate-limit headers; the only head ever decoded, and only for a 429.
   * The reader clears it.
   */
  rateLimitHead: string | null = null;
  #onResponse: ResponseCallback;
  #state = HEAD;
  #pending: Buffer | null = null;
  #remaining = 0;
  #chunkDigits = 0;
  #trailerBytes = 0;
  #status = 0;
  #keepAlive = true;
  #headRequest = false;

  constructor(onResponse: ResponseCallback) {
    this.#onResponse = onResponse;
  }

  /** Declares the method of the request whose response comes next. */
  expect(headRequest: boolean): void {
    this.#headRequest = headRequest;
  }

  /** True between responses: no partial response is buffered. */
  get idle(): boolean {
    return this.#state === HEAD && this.#pending === null;
  }

  /** Stops parsing the current chunk (the connection is being closed from the callback). */
  stop(): void {
    this.#state = STOPPED;
  }

  /** Resets for a new connection. */
  reset(): void {
    this.#state = HEAD;
    this.#pending = null;
    this.error = undefined;
  }

  /**
   * Feeds bytes read from the socket: `chunk[0, end)` (a reused read
   * buffer can be passed whole, without a view per read).
   *
   * @returns false when the bytes are not a valid response stream ({@link error} says why).
   */
  execute(chunk: Buffer, end = chunk.length): boolean {
    let data = chunk;
    let length = end;
    let p = 0;
    while (p < length) {
      const state = this.#state;
      if (state === HEAD) {
        if (this.#pending !== null) {
          data = Buffer.concat([this.#pending, data.subarray(p, length)]);
          length = data.length;
          this.#pending = null;
          p = 0;
        }
        // Tolerate empty lines before a status line (RFC 9112 §2.2).
        while (p < length && (data[p] === CR || data[p] === LF)) p++;
        if (p === length) return true;
        // Usually the head is whole and well formed: parsed in one walk over its lines, which also
        // finds its end. Otherwise (split across reads, malformed) the end is searched first.
        const next = this.#parseHead(data, p, length, -1);
        if (next !== 0) {
          if (next < 0) return false;
          p = next;
          continue;
        }
        let at = data.indexOf(CRLFCRLF, p);
        // Bytes past `length` are stale (an earlier read's): a match there is no match.
        if (at + 4 > length) at = -1;
        if (at === -1) {
          if (length - p > MAX_HEAD_BYTES) return this.#fail('response head larger than 64 KiB');
          this.#pending = Buffer.from(data.subarray(p, length));
          return true;
        }
        if (at - p > MAX_HEAD_BYTES) return this.#fail('response head larger than 64 KiB');
        if (this.#parseHead(data, p, length, at) < 0) return false;
        p = at + 4;
        continue;
      }
      if (state === BODY) {
        const take = Math.min(this.#remaining, length - p);
        p += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#complete();
        continue;
      }
      if (state === UNTIL_CLOSE) return true;
      if (state === CHUNK_DATA) {
        const take = Math.min(this.#remaining, length - p);
        p += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = CHUNK_DATA_CR;
        continue;
      }
      if (state === STOPPED) return true;
      if (!this.#chunkByte(data[p]!)) return false;
      p++;
    }
    return true;
  }

  /**
   * Signals the end of the stream.
   *
   * @returns false when a response was cut short (the server closed early).
   */
  finish(): boolean {
    if (this.#state === UNTIL_CLOSE) {
      this.#complete();
      return true;
    }
    if (this.#state === STOPPED || (this.#state === HEAD && this.#pending === null)) return true;
    this.error = 'connection closed before the response was complete';
    return false;
  }

  #fail(reason: string): false {
    this.error = reason;
    this.#state = STOPPED;
    this.#pending = null;
    return false;
  }

  /** A problem in a head: fails it when its end is known (see {@link #parseHead}), else asks for the slow path. */
  #reject(known: boolean, reason: string): number {
    if (!known) return 0;
    this.#fail(reason);
    return -1;
  }

  #complete(): void {
    this.#state = this.#keepAlive ? HEAD : STOPPED;
    this.#onResponse(this.#status, this.#keepAlive);
  }

  /** One byte of chunked framing (sizes, extensions, CRLFs, trailers). */
  #chunkByte(c: number): boolean {
    switch (this.#state) {
      case CHUNK_SIZE: {
        const digit = isHex(c);
        if (digit >= 0) {
          this.#remaining = this.#remaining * 16 + digit;
          this.#chunkDigits++;
          if (this.#remaining > MAX_CHUNK_SIZE) return this.#fail('chunk size too large');
          return true;
        }
        if (this.#chunkDigits === 0) return this.#fail('chunk size missing');
        if (c === CR) this.#state = CHUNK_SIZE_LF;
        else if (c === 59 /* ; */ || c === SP || c === HTAB) this.#state = CHUNK_EXT;
        else return this.#fail('invalid character in chunk size');
        return true;
      }
      case CHUNK_EXT:
        if (c === CR) this.#state = CHUNK_SIZE_LF;
        else if (c === LF) return this.#fail('bare LF in chunk extension');
        return true;
      case CHUNK_SIZE_LF:
        if (c !== LF) return this.#fail('expected LF after chunk size');
        if (this.#remaining === 0) {
          this.#state = TRAILER_START;
          this.#trailerBytes = 0;
        } else {
          this.#state = CHUNK_DATA;
        }
        return true;
      case CHUNK_DATA_CR:
        if (c !== CR) return this.#fail('expected CRLF after chunk data');
        this.#state = CHUNK_DATA_LF;
        return true;
      case CHUNK_DATA_LF:
        if (c !== LF) return this.#fail('expected CRLF after chunk data');
        this.#state = CHUNK_SIZE;
        this.#chunkDigits = 0;
        return true;
      case TRAILER_START:
        if (c === CR) this.#state = TRAILER_END_LF;
        else this.#state = TRAILER_LINE;
        return this.#countTrailer();
      case TRAILER_LINE:
        if (c === CR) this.#state = TRAILER_LINE_LF;
        return this.#countTrailer();
      case TRAILER_LINE_LF:
        if (c !== LF) return this.#fail('expected LF after trailer field');
        this.#state = TRAILER_START;
        return this.#countTrailer();
      case TRAILER_END_LF:
        if (c !== LF) return this.#fail('expected LF after trailers');
        this.#complete();
        return true;
      default:
        return this.#fail('parser in an unknown state');
    }
  }

  #countTrailer(): boolean {
    if (++this.#trailerBytes > MAX_TRAILER_BYTES) return this.#fail('trailers larger than 64 KiB');
    return true;
  }

  /**
   * Parses a head (status line and headers) at `data[start…]` and sets up
   * the body state. With `at`, the index of its CRLFCRLF, every problem
   * fails the response. With `at` = -1 the end is found on the way, line by
   * line within `length` (one native search per line instead of one more
   * over the whole head, ~0.17 µs of a response's ~0.6); anything unusual —
   * an incomplete or oversized head, a malformed line — returns 0 without
   * changing state, and the caller searches for the end and parses again.
   *
   * @returns the index after the head; 0 (only when `at` = -1): parse again with `at`; -1: failed
   */
  #parseHead(data: Buffer, start: number, length: number, at: number): number {
    const known = at >= 0;
    let p = data.indexOf(CR, start);
    if (known) {
      if (p === -1 || p > at) p = at;
    } else if (p === -1 || p + 1 >= length || data[p + 1] !== LF || p - start < 12) {
      return 0;
    }
    // "HTTP/1.x SSS" at least.
    if (
      (known ? at : p) - start < 12 ||
      data[start] !== 72 ||
      data[start + 1] !== 84 ||
      data[start + 2] !== 84 ||
      data[start + 3] !== 80 ||
      data[start + 4] !== 47 ||
      data[start + 5] !== 49 ||
      data[start + 6] !== 46 ||
      data[start + 8] !== SP
    ) {
      return this.#reject(known, 'not an HTTP/1.x status line');
    }
    const minor = data[start + 7]! - 48;
    const s1 = data[start + 9]! - 48;
    const s2 = data[start + 10]! - 48;
    const s3 = data[start + 11]! - 48;
    if (minor < 0 || minor > 9 || s1 < 1 || s1 > 5 || s2 < 0 || s2 > 9 || s3 < 0 || s3 > 9) {
      return this.#reject(known, 'invalid HTTP version or status code');
    }
    const after = data[start + 12];
    // (Found while walking, the status line is 12 bytes at least: its end, a CR, passes this check.)
    if ((!known || at - start > 12) && after !== SP && after !== CR)
      return this.#reject(known, 'invalid status line');
    const status = s1 * 100 + s2 * 10 + s3;

    let contentLength = -1;
    let chunked = false;
    let otherCoding = false;
    let close = minor === 0;
    if (known && p < at && data[p + 1] !== LF) return this.#reject(known, 'bare CR in status line');
    p += 2;
    for (;;) {
      let e: number;
      if (known) {
        if (p >= at) break;
        e = data.indexOf(CR, p);
        if (e === -1 || e > at) e = at;
        if (data[e + 1] !== LF) return this.#reject(known, 'bare CR in header field');
      } else {
        if (p + 1 >= length) return 0;
        if (data[p] === CR) {
          if (data[p + 1] !== LF || p - 2 - start > MAX_HEAD_BYTES) return 0;
          at = p - 2; // the empty line: the head ends with the CRLF before it
          break;
        }
        e = data.indexOf(CR, p);
        if (e === -1 || e + 1 >= length || data[e + 1] !== LF) return 0;
      }
      const first = data[p];
      if (first === SP || first === HTAB) {
        p = e + 2; // obsolete line folding: ignored
        continue;
      }
      // Scan the name in JS (names are short; a native indexOf per line costs more).
      let colon = p;
      while (colon < e && data[colon] !== 58) colon++;
      if (colon === e || colon === p) return this.#reject(known, 'header field without a name or colon');
      const nameLen = colon - p;
      // Only three names matter for framing, all 10–17 characters long.
      if (nameLen !== 14 && nameLen !== 17 && nameLen !== 10) {
        p = e + 2;
        continue;
      }
      let vs = colon + 1;
      let ve = e;
      while (vs < ve && (data[vs] === SP || data[vs] === HTAB)) vs++;
      while (ve > vs && (data[ve - 1] === SP || data[ve - 1] === HTAB)) ve--;
      if (nameIs(data, p, nameLen, CONTENT_LENGTH)) {
        const value = parseLength(data, vs, ve);
        if (value < 0 || (contentLength >= 0 && contentLength !== value)) {
          return this.#reject(known, 'invalid Content-Length');
        }
        contentLength = value;
      } else if (nameIs(data, p, nameLen, TRANSFER_ENCODING)) {
        const value = data.toString('latin1', vs, ve).toLowerCase();
        const codings = value.split(',').map((v) => v.trim());
        chunked = codings.at(-1) === 'chunked';
        otherCoding = !chunked;
      } else if (nameIs(data, p, nameLen, CONNECTION)) {
        // The usual values compare without building a string.
        if (nameIs(data, vs, ve - vs, KEEP_ALIVE)) {
          if (minor === 0) close = false;
        } else if (nameIs(data, vs, ve - vs, CLOSE)) {
          close = true;
        } else {
          const tokens = data.toString('latin1', vs, ve).toLowerCase();
          if (/(^|[\s,])close($|[\s,])/.test(tokens)) close = true;
          else if (minor === 0 && /(^|[\s,])keep-alive($|[\s,])/.test(tokens)) close = false;
        }
      }
      p = e + 2;
    }

    if (status < 200) {
      if (status === 101) return this.#reject(known, 'unexpected 101 Switching Protocols');
      return at + 4; // interim response; the final one follows
    }
    this.#status = status;
    this.#keepAlive = !close;
    if (status === 429) this.rateLimitHead = data.toString('latin1', start, at);
    if (this.#headRequest || status === 204 || status === 304) {
      this.#complete();
    } else if (chunked) {
      this.#state = CHUNK_SIZE;
      this.#remaining = 0;
      this.#chunkDigits = 0;
    } else if (otherCoding || contentLength < 0) {
      this.#keepAlive = false;
      this.#state = UNTIL_CLOSE;
    } else if (contentLength === 0) {
      this.#complete();
    } else {
      this.#remaining = contentLength;
      this.#state = BODY;
    }
    return at + 4;
  }
}
