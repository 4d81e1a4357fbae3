import { createHash } from 'node:crypto';
import { urlWithoutCredentials } from '../auth/access-control.js';
import type { Db } from '../db/database.js';
import { AppError } from './errors.js';

/** The answer stored for a key, replayed to later requests with it: the same status, type and bytes. */
export interface StoredResponse {
  status: number;
  location: string | null;
  /** The answer's Content-Type (null: JSON, the answer of every row stored before types were). */
  type: string | null;
  body: string | Buffer | null;
}

// A JSON answer is stored as its text (as it always was). Any other answer (XML, CSV, an operation's
// own bytes) as this mark, its Content-Type, a line break and its bytes in base64: no JSON text starts
// with U+0001, so rows stored before keep their meaning and `idempotency_keys` needs no new column.
const TYPED = '\u0001';
const isJsonAnswer = (type: string | null) => type === null || /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(type);

function encodeBody(response: StoredResponse): string | null {
  if (response.body === null) return null;
  if (isJsonAnswer(response.type)) return typeof response.body === 'string' ? response.body : response.body.toString('utf8');
  return `${TYPED}${response.type}\n${Buffer.from(response.body).toString('base64')}`;
}

function decodeBody(stored: string | null): { type: string | null; body: string | Buffer | null } {
  if (stored === null || !stored.startsWith(TYPED)) return { type: null, body: stored };
  const newline = stored.indexOf('\n');
  return { type: stored.slice(1, newline), body: Buffer.from(stored.slice(newline + 1), 'base64') };
}

/** What to do with a request that carries an Idempotency-Key. */
export type Claim = { kind: 'new' } | { kind: 'replay'; response: StoredResponse };

const KEY = /^[\x21-\x7e]{1,255}$/;
// A first request that never finished (the process died) stops blocking its key after this long.
const ABANDONED_MS = 60_000;

/**
 * The request hash: the same key must come back with the same method, path and body. An access
 * token in the query string (an apiKey scheme of the spec) is not part of it: a retry with a
 * renewed token is the same request.
 */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${urlWithoutCredentials(url)}\n${body === undefined ? '' : JSON.stringify(body)}`)
    .digest('base64url');
}

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header):
 * the first request with a key claims it in `idempotency_keys` and its
 * successful (2xx) answer is stored for IDEMPOTENCY_TTL_MS; a retry with the
 * same key and body gets that answer again (with `Idempotent-Replayed: true`)
 * and creates nothing; the same key with another body is 422; a retry while
 * the first is still running is 409. Failed answers are not stored, so a
 * corrected retry may reuse the key. Keys are kept apart per `scope` (the
 * caller).
 */
export class IdempotencyStore {
  private claims = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
  ) {}

  /** Validates the header value; 400 when it is not 1–255 visible ASCII characters. */
  static check(key: string): void {
    if (!KEY.test(key)) {
      throw new AppError(400, 'VALIDATION_FAILED', 'The request is not valid.', [
        { in: 'header', field: 'idempotency-key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
  }

  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    // Now and then, expired answers of every caller go; in between each claim clears its own key.
    if (++this.claims % 1000 === 0) await this.db.query('delete from idempotency_keys where expires_at < now()');
    await this.db.query(
      `delete from idempotency_keys where scope = $1 and key = $2
         and (expires_at < now() or (status is null and created_at < now() - $3 * interval '1 millisecond'))`,
      [scope, key, ABANDONED_MS],
    );
    const inserted = await this.db.query(
      `insert into idempotency_keys (scope, key, request_hash, expires_at)
       values ($1, $2, $3, now() + $4 * interval '1 millisecond')
       on conflict do nothing returning key`,
      [scope, key, hash, this.ttlMs],
    );
    if (inserted.rowCount === 1) return { kind: 'new' };
    const { rows } = await this.db.query<{ request_hash: string; status: number | null; location: string | null; body: string | null }>(
      'select request_hash, status, location, body from idempotency_keys where scope = $1 and key = $2',
      [scope, key],
    );
    const row = rows[0];
    if (!row || row.status === null) {
      throw new AppError(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed; retry later.');
    }
    if (row.request_hash !== hash) {
      throw new AppError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    }
    return { kind: 'replay', response: { status: row.status, location: row.location, ...decodeBody(row.body) } };
  }

  /** Stores the answer of a claimed key (2xx), or gives the key up (anything else). */
  async finish(scope: string, key: string, response: StoredResponse): Promise<void> {
    if (response.status >= 200 && response.status < 300) {
      await this.db.query('update idempotency_keys set status = $3, location = $4, body = $5 where scope = $1 and key = $2', [
        scope,
        key,
        response.status,
        response.location,
        encodeBody(response),
      ]);
    } else {
      await this.db.query('delete from idempotency_keys where scope = $1 and key = $2 and status is null', [scope, key]);
    }
  }
}
