/**
 * Setup file of the `unit` test project: tripwires that make a unit test fail
 * as soon as it reaches for something that belongs to the integration layer —
 * a child process, a database connection (server or PGlite), Redis or a
 * browser. The fix is never to loosen this file: rename the test to
 * `*.int.test.ts` (or `*.e2e.test.ts`), which runs without these guards.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { vi } from 'vitest';

function refuse(what: string): never {
  throw new Error(
    `unit tests must not ${what}: name this file *.int.test.ts (integration) or *.e2e.test.ts (see docs/testing.md)`,
  );
}

const processFunctions = [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
] as const;
for (const name of processFunctions) {
  (childProcess as unknown as Record<string, unknown>)[name] = () =>
    refuse(`start a child process (${name})`);
}
// Named imports of builtins (`import { spawn } from 'node:child_process'`) follow the patched default export.
syncBuiltinESMExports();

vi.mock('@electric-sql/pglite', () => {
  class PGlite {
    constructor() {
      refuse('open PGlite');
    }
    static create(): never {
      return refuse('open PGlite');
    }
  }
  return { PGlite };
});

vi.mock('pg', async (importOriginal) => {
  const actual = await importOriginal<typeof import('pg')>();
  const blocked = {
    Client: class {
      constructor() {
        refuse('connect to PostgreSQL');
      }
    },
    Pool: class {
      constructor() {
        refuse('connect to PostgreSQL');
      }
    },
  };
  return { ...actual, ...blocked, default: { ...actual.default, ...blocked } };
});

vi.mock('ioredis', () => ({
  Redis: class {
    constructor() {
      refuse('connect to Redis');
    }
  },
  default: class {
    constructor() {
      refuse('connect to Redis');
    }
  },
}));

vi.mock('playwright-core', () => ({
  chromium: {
    launch: () => refuse('launch a browser'),
  },
}));
