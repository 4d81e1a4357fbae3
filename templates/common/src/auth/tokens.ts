import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.js';

/** Who is calling: the user of a valid access token, with the role the database holds now. */
export interface Principal {
  id: number;
  role: string;
}

/** What a valid access token says: whose it is, and their token version when it was issued (`ver`). */
export interface TokenClaims {
  id: number;
  version: number;
}

/** What an access token is issued for. */
export interface TokenSubject {
  id: number;
  /** Informational in the token (`role` claim, for clients): requests are decided on the database's role. */
  role: string;
  /** `auth_users.token_version` now: raising it revokes every access token issued before. */
  tokenVersion: number;
}

/** The JOSE `typ` of access tokens (RFC 9068), so no other JWT signed with the key passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** The only accepted algorithm: pinned, never taken from the token (RFC 8725 §3.1). */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/** How many verified tokens are remembered (oldest forgotten first). */
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies access tokens with one HS256 key. */
export interface AccessTokens {
  /** Seconds an access token lives. */
  readonly ttlSeconds: number;
  sign(subject: TokenSubject): Promise<string>;
  /**
   * The claims of a valid token; undefined for anything else (bad signature, expired, wrong
   * iss/aud/typ/alg, no `ver`). Whether its version is still current is the caller's check.
   */
  verify(token: string): Promise<TokenClaims | undefined>;
  /**
   * {@link verify}, answered at once (no promise) for a token verified before and not yet
   * expired: the hot path of every request pays a map lookup, not a microtask.
   */
  verifyNow(token: string): TokenClaims | undefined | Promise<TokenClaims | undefined>;
}

/**
 * The access-token signer of the app. Without JWT_SECRET (development and
 * tests only: config.ts refuses production without a strong one) a random
 * key is made for this process and `onGeneratedKey` is told, so the caller
 * can warn that tokens do not survive a restart.
 */
export function createAccessTokens(config: Config, onGeneratedKey: () => void = () => undefined): AccessTokens {
  let raw: Uint8Array;
  if (config.JWT_SECRET) raw = new TextEncoder().encode(config.JWT_SECRET);
  else {
    raw = randomBytes(32);
    onGeneratedKey();
  }
  // Imported once: given raw bytes, jose would import the key again on every call (twice the cost).
  const key = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  // Tokens already verified, until they expire: a repeat caller costs a map lookup instead of a
  // WebCrypto round trip. Only valid tokens get in, and the size is bounded.
  const verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();
  const issuer = config.JWT_ISSUER;
  const audience = config.JWT_AUDIENCE;
  const ttlSeconds = config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
  /** The claims of a token verified before and not expired; undefined otherwise. */
  const remembered = (token: string): TokenClaims | undefined => {
    const known = verified.get(token);
    if (!known) return undefined;
    if (known.expiresAt > Date.now()) return known.claims;
    verified.delete(token);
    return undefined;
  };
  const check = async (token: string): Promise<TokenClaims | undefined> => {
    try {
      const { payload } = await jwtVerify(token, await key, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer,
        audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'exp', 'iat', 'ver'],
        clockTolerance: 5,
      });
      const id = Number(payload.sub);
      if (!/^[1-9]\d{0,15}$/.test(payload.sub ?? '') || !Number.isSafeInteger(id)) return undefined;
      const version = payload.ver;
      if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) return undefined;
      const claims = { id, version };
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, { claims, expiresAt: payload.exp! * 1000 });
      return claims;
    } catch {
      return undefined;
    }
  };
  return {
    ttlSeconds,
    async sign(subject) {
      return new SignJWT({ role: subject.role, ver: subject.tokenVersion })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE })
        .setSubject(String(subject.id))
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .setJti(randomUUID())
        .sign(await key);
    },
    async verify(token) {
      return remembered(token) ?? check(token);
    },
    verifyNow(token) {
      return remembered(token) ?? check(token);
    },
  };
}

/** A new opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps of a refresh token: its SHA-256. The token has
 * 256 bits of entropy, so a fast hash is enough (no salt, no argon2) and a
 * database leak does not reveal usable tokens.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
