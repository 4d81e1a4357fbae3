import type { LintRule } from '../lint-rule.js';

/** Names longer than PostgreSQL's 63-byte limit. */
export const identifierTooLong: LintRule = {
  name: 'identifier-too-long',
  summary:
    'PostgreSQL cuts identifiers to 63 bytes with only a NOTICE: the object gets another name than the migration says.',
  defaultSeverity: 'warning',
  effect: 'none',
  counterparts: { squawk: ['identifier-too-long'], strongMigrations: [] },
  examples: {
    bad: [
      `create index ${'users_'.padEnd(70, 'x')} on users (email);`,
      `alter table users add column "${'é'.repeat(40)}" text;`,
    ],
    good: ['create index users_email_idx on users (email);', `select '${'x'.repeat(80)}';`],
  },
  check(ctx) {
    return ctx.statement.longIdentifiers.map(({ text, location }) => {
      const bytes = Buffer.byteLength(text, 'utf8');
      const cut = Buffer.from(text, 'utf8')
        .subarray(0, 63)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
      return {
        message: `"${text.length > 70 ? `${text.slice(0, 67)}…` : text}" is ${bytes} bytes: PostgreSQL cuts it to "${cut}", so later statements (and the down section) that spell the full name refer to something else, or to nothing.`,
        fix: 'Use a name of at most 63 bytes.',
        at: { location },
      };
    });
  },
};
