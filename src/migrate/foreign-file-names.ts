/**
 * Names the migration tool a folder of `.sql` files was written for when
 * tenon cannot read their names, so the error says "these are golang-migrate
 * pairs" instead of listing hundreds of names, and the hint says how to
 * bring them over (docs/migrate.md, "Coming from another tool").
 */

/** One kind of name tenon does not read, with the files of that kind. */
export interface ForeignNameGroup {
  /** What the names look like, e.g. `golang-migrate pairs (N_name.up.sql, N_name.down.sql)`. */
  kind: string;
  files: string[];
  /** How to make them readable. */
  hint: string;
}

const DOCS = 'docs/migrate.md, "Coming from another tool"';

interface Kind {
  test: (name: string) => boolean;
  kind: string;
  hint: string;
}

// Checked in order: a golang-migrate name also starts with digits, so it must come first.
const KINDS: Kind[] = [
  {
    test: (name) => /^\d+_.+\.(?:up|down)\.sql$/i.test(name),
    kind: 'golang-migrate pairs (N_name.up.sql and N_name.down.sql)',
    hint: `tenon reads golang-migrate pairs whose number has at most 14 digits and whose name has only letters, digits, _ and - (1_create_tables.up.sql); rename these to fit (${DOCS})`,
  },
  {
    test: (name) => /^(?:[VU]\d+(?:[._]\d+)*|R)__.+\.sql$/.test(name),
    kind: 'Flyway scripts (V<version>__<name>.sql)',
    hint: `rename each V<n>__name.sql to a 14-digit version (zero-padded: V2__add_users.sql → 00000000000002_add_users.sql) and put "-- migrate:up" at its top; undo (U…) scripts become its "-- migrate:down" section; repeatable (R__) scripts have no counterpart (${DOCS})`,
  },
  {
    test: (name) => /^\d+[_-]/.test(name) && !/^\d{14}[_-]/.test(name),
    kind: 'versions that are not 14 digits',
    hint: `tenon's versions are 14 digits (a UTC timestamp); pad sequential numbers with zeros, which keeps their order (0001-init.sql → 00000000000001_init.sql), and later \`tenon migrate create\` versions sort after them (${DOCS})`,
  },
];

const OTHER: Omit<Kind, 'test'> = {
  kind: 'other names',
  hint: 'migration files are named <UTC yyyymmddHHMMSS>_<name>.sql (letters, digits, _ and -), e.g. 20261126101500_create_users.sql; `tenon migrate create <name>` writes one',
};

/** Sorts names tenon cannot read into the formats they look like (golang-migrate, Flyway, short versions, other). */
export function groupForeignNames(names: readonly string[]): ForeignNameGroup[] {
  const groups = new Map<string, ForeignNameGroup>();
  for (const name of [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    const kind = KINDS.find((k) => k.test(name)) ?? OTHER;
    const group = groups.get(kind.kind) ?? { kind: kind.kind, files: [], hint: kind.hint };
    group.files.push(name);
    groups.set(kind.kind, group);
  }
  return [...groups.values()];
}

/** `a, b, c, d, e and 243 more`: a few names, so that 248 files do not fill the terminal. */
export function someNames(files: readonly string[], shown = 4): string {
  if (files.length <= shown + 1) return files.join(', ');
  return `${files.slice(0, shown).join(', ')} and ${files.length - shown} more`;
}
