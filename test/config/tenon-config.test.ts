import { describe, expect, it } from 'vitest';
import {
  configFromEnv,
  configSections,
  resolveConfig,
  tenonConfigSchema,
} from '../../src/config/tenon-config.js';
import { isTenonError } from '../../src/core/errors.js';

describe('the tenon.config schema, composed above the parts', () => {
  it('has one section per part, each the part’s own schema', () => {
    expect(Object.keys(configSections)).toEqual(['migrate', 'load', 'analyze', 'scaffold']);
    expect(Object.keys(tenonConfigSchema.shape)).toEqual(['databaseUrl', ...Object.keys(configSections)]);
  });

  it('merges file, environment and flags in that order of precedence, defaults last', () => {
    const config = resolveConfig([
      {
        source: 'tenon.config.yaml',
        values: { migrate: { dir: 'db', lockTimeout: '1s' }, load: { timeout: '2s' } },
      },
      configFromEnv({ TENON_MIGRATE_LOCK_TIMEOUT: '10s', TENON_LOAD_THRESHOLDS: 'p99<1s, errors<1%' }),
      { source: 'flags', values: { migrate: { lockTimeout: '20s' } } },
    ]);
    expect(config.migrate).toMatchObject({ dir: 'db', lockTimeout: 20_000, table: 'tenon_migrations' });
    expect(config.load).toMatchObject({ timeout: 2000, warmup: 0, thresholds: ['p99<1s', 'errors<1%'] });
    expect(config.scaffold.framework).toBe('fastify');
  });

  it('names a bad value, where it came from, and the keys a section allows', () => {
    let thrown: unknown;
    try {
      resolveConfig([
        { source: 'tenon.config.json', values: { migrate: { dirr: 'x' } } },
        configFromEnv({ TENON_LOAD_WORKERS: 'many' }),
      ]);
    } catch (error) {
      thrown = error;
    }
    expect(isTenonError(thrown) && thrown.code).toBe('TENON_CONFIG_INVALID');
    const message = (thrown as Error).message;
    expect(message).toMatch(
      /migrate\.dirr \(from tenon\.config\.json\): unknown key; allowed: dir, table, schema/,
    );
    expect(message).toMatch(
      /load\.workers \(from environment variable TENON_LOAD_WORKERS\): expected a whole number/,
    );
  });
});
