import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { corpusDir } from './services.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** services.ts as a fresh import under `env`: CORPUS_DIR and SERVICES_REQUIRED are read once, at import. */
async function servicesWith(
  env: Record<string, string | undefined>,
): Promise<typeof import('./services.js')> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('./services.js');
}

describe('corpusDir', () => {
  it('is ../shared/corpus next to the checkout when TENON_CORPUS_DIR is not set', () => {
    expect(corpusDir({})).toBe(resolve(root, '..', 'shared', 'corpus'));
    expect(corpusDir({ TENON_CORPUS_DIR: '' })).toBe(resolve(root, '..', 'shared', 'corpus'));
  });

  it('is TENON_CORPUS_DIR, made absolute, when it is set', () => {
    expect(corpusDir({ TENON_CORPUS_DIR: '/srv/corpus' })).toBe('/srv/corpus');
    expect(corpusDir({ TENON_CORPUS_DIR: 'some/corpus' })).toBe(resolve('some/corpus'));
  });
});

describe('requireCorpus', () => {
  const made: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function fakeCorpus(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-corpus-'));
    made.push(dir);
    mkdirSync(join(dir, 'migrations', 'supabase-auth'), { recursive: true });
    return dir;
  }

  it('finds a folder of the corpus TENON_CORPUS_DIR names', async () => {
    const dir = fakeCorpus();
    const { requireCorpus } = await servicesWith({ TENON_CORPUS_DIR: dir, TENON_TEST_REQUIRE_SERVICES: '1' });
    expect(requireCorpus('migrations/supabase-auth')).toEqual({
      available: true,
      reason: '',
      dir: join(dir, 'migrations', 'supabase-auth'),
    });
  });

  it('skips with the reason when the folder is missing and services are not required', async () => {
    const dir = fakeCorpus();
    const { requireCorpus } = await servicesWith({ TENON_CORPUS_DIR: dir, TENON_TEST_REQUIRE_SERVICES: '' });
    const status = requireCorpus('migrations/non-transactional');
    expect(status.available).toBe(false);
    expect(status.reason).toContain(join(dir, 'migrations', 'non-transactional'));
    expect(status.reason).toContain('TENON_CORPUS_DIR');
  });

  it('throws when the folder is missing and services are required (CI)', async () => {
    const dir = fakeCorpus();
    const { requireCorpus } = await servicesWith({ TENON_CORPUS_DIR: dir, TENON_TEST_REQUIRE_SERVICES: '1' });
    expect(() => requireCorpus('migrations/non-transactional')).toThrow(
      /the corpus folder .*non-transactional is not available: not found .*TENON_TEST_REQUIRE_SERVICES=1/,
    );
  });
});
