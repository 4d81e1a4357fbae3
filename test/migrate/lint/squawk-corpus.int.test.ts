import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lintMigrations } from '../../../src/migrate/lint/lint-migrations.js';
import { parseLintSource } from '../../../src/migrate/lint/lint-source.js';
import { lintRules } from '../../../src/migrate/lint/rules/index.js';
import { requireCorpus } from '../../support/services.js';

/*
 * The anchor: squawk-cli (from npm, a devDependency; its binary comes in a
 * platform package, nothing is downloaded) runs on the same corpus files as
 * tenon. Every squawk finding must be matched by a tenon finding of a
 * counterpart rule on the same statement, or be left out by tenon because the
 * table was created earlier in the file, or belong to a squawk rule that
 * docs/migrate.md lists as handled differently on purpose.
 */

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const SQUAWK = join(dirname(require.resolve('squawk-cli/package.json')), 'js/bin/squawk');
const docs = readFileSync(new URL('../../../docs/migrate.md', import.meta.url), 'utf8');
const differences = docs.slice(
  docs.indexOf('squawk rules tenon handles differently'),
  docs.indexOf('Beyond squawk'),
);
const deliberate = new Set([...differences.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((m) => m[1]!));

/** squawk's gcc and JSON output spell one rule differently from its --exclude name. */
const ALIASES: Record<string, string> = { 'prefer-timestamp-tz': 'prefer-timestamptz' };

const counterparts = new Map<string, string[]>();
for (const rule of lintRules) {
  for (const name of rule.counterparts.squawk)
    counterparts.set(name, [...(counterparts.get(name) ?? []), rule.name]);
}

interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  rule_name: string;
  message: string;
}

/** Runs squawk once over many files (squawk exits 1 when it finds something; the report is on stdout). */
async function squawk(paths: readonly string[], inTransaction: boolean): Promise<SquawkViolation[]> {
  if (paths.length === 0) return [];
  const args = ['--reporter', 'json', ...(inTransaction ? ['--assume-in-transaction'] : []), ...paths];
  const out = await run(SQUAWK, args, { maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '[]',
  );
  return JSON.parse(out) as SquawkViolation[];
}

type Outcome = 'matched' | 'new-table' | 'deliberate' | 'missed';

async function compareFile(
  path: string,
  byFile: ReadonlyMap<string, SquawkViolation[]>,
): Promise<{ rule: string; outcome: Outcome; where: string }[]> {
  const file = path.split('/').pop()!;
  const text = readFileSync(path, 'utf8');
  const { sections } = await parseLintSource({ file, text }, { down: true });
  const violations = byFile.get(path) ?? [];
  const tenon = await lintMigrations({ sources: [{ file, text }], down: true });
  return violations.map((v) => {
    const rule = ALIASES[v.rule_name] ?? v.rule_name;
    const line = v.line + 1; // squawk's JSON lines are 0-based
    const where = `${file}:${line} ${rule}`;
    let section: (typeof sections)[number] | undefined;
    let range: { index: number; start: number; end: number } | undefined;
    for (const s of sections) {
      range = s.ranges.find(
        (r) => s.position(r.start).line <= line && line <= s.position(Math.max(r.start, r.end - 1)).line,
      );
      if (range) {
        section = s;
        break;
      }
    }
    const mapped = counterparts.get(rule) ?? [];
    if (section && range) {
      const first = section.position(range.start).line;
      const last = section.position(Math.max(range.start, range.end - 1)).line;
      const matched = tenon.findings.some(
        (f) =>
          f.section === section.migration.section && f.statement === range.index && mapped.includes(f.rule),
      );
      if (matched) return { rule, outcome: 'matched', where };
      const leftOut = tenon.suppressed.some(
        (s) => s.reason === 'new-table' && s.line >= first && s.line <= last && mapped.includes(s.rule),
      );
      if (leftOut) return { rule, outcome: 'new-table', where };
    }
    return { rule, outcome: deliberate.has(rule) ? 'deliberate' : 'missed', where };
  });
}

const corpora = [
  ...['migrations/supabase-auth', 'migrations/non-transactional'].map((p) => [p, requireCorpus(p)] as const),
  // Shapes from public histories where the comparison found gaps (README.md there); always available.
  [
    'squawk-real-shapes',
    {
      dir: fileURLToPath(new URL('../fixtures/squawk-real-shapes', import.meta.url)),
      available: true,
      reason: '',
    },
  ] as const,
];

describe('squawk-cli, the anchor', () => {
  it('is installed from npm and runs here', async () => {
    const { stdout } = await run(SQUAWK, ['--version']);
    expect(stdout.trim()).toBe(`squawk ${require('squawk-cli/package.json').version}`);
  });

  it('knows every squawk rule named in the rule table and the differences table', async () => {
    const names = [...new Set([...counterparts.keys(), ...deliberate])];
    const empty = join(dirname(SQUAWK), '..', '..', 'package.json');
    // --exclude rejects a rule name squawk does not have, and names it.
    const stderr = await run(SQUAWK, [`--exclude=${names.join(',')}`, '--reporter', 'json', empty]).then(
      (r) => r.stderr,
      (e: { stderr?: string }) => String(e.stderr),
    );
    expect(stderr).not.toContain('invalid rule name');
    const bogus = await run(SQUAWK, ['--exclude=no-such-rule', empty]).then(
      (r) => r.stderr,
      (e: { stderr?: string }) => String(e.stderr),
    );
    expect(bogus).toContain('invalid rule name');
  });
});

describe.each(corpora)('tenon finds what squawk finds on %s', (path, corpus) => {
  it.skipIf(!corpus.available)(`every squawk finding is matched or explained ${corpus.reason}`, async () => {
    const files = readdirSync(corpus.dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => join(corpus.dir, f));
    // squawk sees each file whole; tell it where tenon runs the file in one transaction.
    const transactional = await Promise.all(
      files.map(async (path) => {
        const { sections } = await parseLintSource(
          { file: path, text: readFileSync(path, 'utf8') },
          { down: false },
        );
        return sections[0]?.migration.transactional ?? true;
      }),
    );
    const violations = [
      ...(await squawk(
        files.filter((_, i) => transactional[i]),
        true,
      )),
      ...(await squawk(
        files.filter((_, i) => !transactional[i]),
        false,
      )),
    ];
    const byFile = new Map<string, SquawkViolation[]>();
    for (const v of violations) byFile.set(v.file, [...(byFile.get(v.file) ?? []), v]);
    const outcomes = (await Promise.all(files.map((f) => compareFile(f, byFile)))).flat();
    const byRule = new Map<string, Record<Outcome, number>>();
    for (const o of outcomes) {
      const counts = byRule.get(o.rule) ?? { matched: 0, 'new-table': 0, deliberate: 0, missed: 0 };
      counts[o.outcome] += 1;
      byRule.set(o.rule, counts);
    }
    console.log(
      `${path}: ${outcomes.length} squawk findings\n${[...byRule]
        .sort()
        .map(([rule, c]) => `| \`${rule}\` | ${c.matched} | ${c['new-table']} | ${c.deliberate} |`)
        .join('\n')}`,
    );
    expect(outcomes.filter((o) => o.outcome === 'missed').map((o) => o.where)).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === 'matched').length).toBeGreaterThan(0);
  });
});
