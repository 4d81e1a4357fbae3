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
    const secret = 'kP3v9Qx2Lm8Zr4Tn6Wy1Bc5Hd7Jf0Gs2Ae';
    expect(loadConfig({ ...db, JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
  });

  it('refuses a weak JWT_SECRET in development too, and allows none there (a random key is made)', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({}).JWT_SECRET).toBeUndefined();
  });

  it('refuses argon2 parameters below the OWASP minimums', () => {
    expect(() => loadConfig({ AUTH_ARGON2_MEMORY_KIB: '8192' })).toThrow(/AUTH_ARGON2_MEMORY_KIB/);
    expect(() => loadConfig({ AUTH_ARGON2_TIME_COST: '1' })).toThrow(/AUTH_ARGON2_TIME_COST/);
    expect(loadConfig({ AUTH_ARGON2_MEMORY_KIB: '65536' }).AUTH_ARGON2_MEMORY_KIB).toBe(65536);
  });
});
