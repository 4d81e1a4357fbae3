import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults with nothing set (PGlite, port 3000)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DB_POOL_MAX: 20, LOG_LEVEL: 'info' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses to run in production without DATABASE_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL|PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it('sets the session cookie Secure unless AUTH_COOKIE_SECURE=false, which production refuses', () => {
    expect(loadConfig({}).AUTH_COOKIE_SECURE).toBe(true);
    expect(loadConfig({ AUTH_COOKIE_SECURE: 'false' }).AUTH_COOKIE_SECURE).toBe(false);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: randomBytes(32).toString('base64') };
    expect(loadConfig(production).AUTH_COOKIE_SECURE).toBe(true);
    expect(() => loadConfig({ ...production, AUTH_COOKIE_SECURE: 'false' })).toThrow(/AUTH_COOKIE_SECURE: must not be false when NODE_ENV=production/);
  });

  it('parses the CORS allowlist', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'not a url' })).toThrow(ConfigError);
  });

  it('refuses to run in production without a strong JWT_SECRET', () => {
    const db = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' };
    expect(() => loadConfig(db)).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ ...db, JWT_SECRET: 'x'.repeat(31) })).toThrow(/JWT_SECRET: must be at least 32 bytes/);
    expect(() => loadConfig({ ...db, JWT_SECRET: 'ab'.repeat(32) })).toThrow(/JWT_SECRET: is not random/);
    expect(() => loadConfig({ ...db, JWT_SECRET: 'CHANGE_ME_TO_32_OR_MORE_RANDOM_BYTES' })).toThrow(/JWT_SECRET/);
    // Long phrases and typed patterns are not keys, however long; the message says how to make one.
    expect(() => loadConfig({ ...db, JWT_SECRET: 'correct horse battery staple, twenty twenty-four' })).toThrow(/JWT_SECRET: is a phrase.*npm run secret/);
    expect(() => loadConfig({ ...db, JWT_SECRET: 'CorrectHorseBatteryStapleSunshineRainbow' })).toThrow(/JWT_SECRET: is not random/);
    expect(() => loadConfig({ ...db, JWT_SECRET: 'Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3' })).toThrow(/JWT_SECRET: is not random/);
    expect(() => loadConfig({ ...db, JWT_SECRET: `${'a'.repeat(40)}B1!` })).toThrow(/JWT_SECRET: is not random/);
    // What the generators make is accepted: base64 (npm run secret, openssl rand -base64 32) and hex.
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(32);
      for (const key of [bytes.toString('base64'), bytes.toString('hex')]) expect(loadConfig({ ...db, JWT_SECRET: key }).JWT_SECRET).toBe(key);
    }
    const secret = 'kP3v9Qx2Lm8Zr4Tn6Wy1Bc5Hd7Jf0Gs2Ae';
    expect(loadConfig({ ...db, JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
    // A run of 5 happens in random base64 keys (once in 400,000); a run of 6 is refused.
    expect(loadConfig({ ...db, JWT_SECRET: `${secret}zzzzz` }).JWT_SECRET).toBe(`${secret}zzzzz`);
    expect(() => loadConfig({ ...db, JWT_SECRET: `${secret}zzzzzz` })).toThrow(/JWT_SECRET: is not random \(a character repeated 6 times/);
  });

  it('refuses a weak JWT_SECRET in development too, and allows none there (a random key is made)', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({}).JWT_SECRET).toBeUndefined();
  });

  it('gives up on a database that does not answer a little after the statement timeout, never before it', () => {
    expect(loadConfig({}).DB_QUERY_TIMEOUT_MS).toBe(7_000);
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '0' }).DB_QUERY_TIMEOUT_MS).toBe(0);
    expect(loadConfig({ DB_QUERY_TIMEOUT_MS: '9000' }).DB_QUERY_TIMEOUT_MS).toBe(9_000);
    expect(() => loadConfig({ DB_QUERY_TIMEOUT_MS: '5000' })).toThrow(/DB_QUERY_TIMEOUT_MS: must be longer than DB_STATEMENT_TIMEOUT_MS/);
  });

  it('bounds slow clients: the headers within the request timeout', () => {
    const config = loadConfig({});
    expect([config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([10_000, 30_000, 72_000]);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });

  it('refuses argon2 parameters below the OWASP minimums', () => {
    expect(() => loadConfig({ AUTH_ARGON2_MEMORY_KIB: '8192' })).toThrow(/AUTH_ARGON2_MEMORY_KIB/);
    expect(() => loadConfig({ AUTH_ARGON2_TIME_COST: '1' })).toThrow(/AUTH_ARGON2_TIME_COST/);
    expect(loadConfig({ AUTH_ARGON2_MEMORY_KIB: '65536' }).AUTH_ARGON2_MEMORY_KIB).toBe(65536);
  });
});
