import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the verdicts of {@link grammarVerdicts} are kept: `TENON_CACHE_DIR`,
 * or a directory of this user's in the OS temp dir (as Node keeps its
 * compile cache). `TENON_CACHE_DIR=off` keeps none.
 */
export function verdictCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.TENON_CACHE_DIR;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return join(tmpdir(), `tenon-cache${uid === undefined ? '' : `-${uid}`}`);
}

/** Past this size the file starts again with the new verdicts only (about 60,000 files' worth). */
const MAX_BYTES = 4 * 1024 * 1024;
const CHECKSUM = /^[0-9a-f]{64}$/;

/** The up sections one grammar build has accepted before, by the SHA-256 (hex) of their text. */
export interface GrammarVerdicts {
  /** True when this build of the grammar accepted a section with this SHA-256. */
  accepted(sha256: string): boolean;
  /** Records sections the grammar accepted (best effort: a failed write is no error). */
  record(sha256s: readonly string[]): void;
}

const NONE: GrammarVerdicts = { accepted: () => false, record: () => undefined };

/**
 * The server grammar's past verdicts on migration files, kept between
 * processes: that a build of libpg-query (`build`, e.g. `libpg-query-15
 * 15.6.3`) parsed a migration's up section is a fact of the section's text,
 * which its SHA-256 fixes, so `up` checks with the server's grammar only
 * the pending sections it has not accepted before, and
 * loads no second WebAssembly parser when there are none (on the 350-file
 * history about 50 ms of CPU before the first migration;
 * docs/migrate.md#performance). Only acceptances are kept: a refusal is
 * checked again and reported with its file and line. The directory is the
 * user's own (created 0700; one owned by another user is not read);
 * `dir` undefined keeps none (see {@link verdictCacheDir}).
 */
export function grammarVerdicts(build: string, dir: string | undefined): GrammarVerdicts {
  if (!dir) return NONE;
  const file = join(dir, `server-grammar-${build.replace(/[^A-Za-z0-9.]+/g, '-')}.txt`);
  let known: Set<string>;
  let size = 0;
  try {
    const stat = statSync(dir);
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return NONE;
    const text = readFileSync(file, 'latin1');
    size = text.length;
    known = new Set(text.split('\n').filter((line) => CHECKSUM.test(line)));
  } catch {
    known = new Set();
  }
  return {
    accepted: (checksum) => known.has(checksum),
    record(checksums) {
      const fresh = checksums.filter((c) => CHECKSUM.test(c) && !known.has(c));
      if (fresh.length === 0) return;
      const lines = `${fresh.join('\n')}\n`;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // One append per run: concurrent runners each add whole lines (O_APPEND).
        if (size + lines.length > MAX_BYTES) writeFileSync(file, lines, { mode: 0o600 });
        else appendFileSync(file, lines, { mode: 0o600 });
        for (const c of fresh) known.add(c);
      } catch {
        // A read-only or full temp dir: the check runs again next time.
      }
    },
  };
}
