import { badRequest } from './errors.js';

/** An opaque keyset cursor: the last id of the previous page, base64url-encoded. */
export function encodeCursor(id: number | string): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

/** Decodes a cursor, or answers 400 when it was not made by {@link encodeCursor}. */
export function decodeCursor(cursor: string, kind: 'bigint' | 'uuid' | 'text'): number | string {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const id = Array.isArray(value) && value.length === 1 ? value[0] : undefined;
    if (kind === 'bigint' && Number.isSafeInteger(id)) return id as number;
    if (kind === 'uuid' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return id;
    if (kind === 'text' && typeof id === 'string' && id.length > 0 && id.length <= 255) return id;
  } catch {
    // fall through to the 400
  }
  throw badRequest('The cursor is not valid.', [{ in: 'query', field: 'cursor', message: 'is not a cursor returned by this API' }]);
}
