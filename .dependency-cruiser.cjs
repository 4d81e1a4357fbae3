/**
 * The layers of src/ (docs/architecture.md), enforced by `npm run lint`
 * (`depcruise src`) and by test/architecture.int.test.ts:
 *
 *   cli ──────────┬──> demo ──> parts
 *   index.ts ─────┼──> config (the tenon.config schema) ──> the parts' *-config.ts
 *                 └──> parts: migrate, analyze, load, scaffold ──> report ──> core
 *
 * Everything may import core; nothing imports cli or index.ts; no cycles.
 */
const PARTS = 'migrate|analyze|load|scaffold';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'A module must not import itself through others: move the shared piece into a module both import.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      comment: 'src/core is the bottom layer: it imports nothing else from src/.',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'report-on-core-only',
      severity: 'error',
      comment: 'src/report (the shared report shell, formats and charts) imports only src/core.',
      from: { path: '^src/report/' },
      to: { path: '^src/(?!core/|report/)' },
    },
    {
      name: 'part-not-other-part',
      severity: 'error',
      comment: 'A part imports core and report, never another part: move what two parts share into core.',
      from: { path: `^src/(${PARTS})/` },
      to: { path: `^src/(${PARTS})/`, pathNot: '^src/$1/' },
    },
    {
      name: 'library-not-cli',
      severity: 'error',
      comment: 'Only the CLI owns argv, stdout/stderr, exit codes and the TTY: nothing imports it.',
      from: { path: '^src/(?!cli/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'part-not-demo',
      severity: 'error',
      comment: 'The demo uses the parts; the parts (and core, report, config) never use the demo.',
      from: { path: `^src/(core|report|config|${PARTS})/` },
      to: { path: '^src/demo/' },
    },
    {
      name: 'part-not-config',
      severity: 'error',
      comment: 'src/config composes the parts’ config sections; a part reads only its own section schema.',
      from: { path: `^src/(core|report|${PARTS})/` },
      to: { path: '^src/config/' },
    },
    {
      name: 'config-reads-sections-only',
      severity: 'error',
      comment: 'src/config imports core and each part’s <part>-config.ts, nothing else of the parts.',
      from: { path: '^src/config/' },
      to: { path: `^src/(${PARTS}|report|demo)/`, pathNot: `^src/(${PARTS})/[a-z]+-config\\.ts$` },
    },
    {
      name: 'nothing-imports-the-entry',
      severity: 'error',
      comment: 'src/index.ts is the package entry, above everything: importing it from inside makes cycles.',
      from: { path: '^src/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'terminal-libraries-in-cli-only',
      severity: 'error',
      comment: 'commander and picocolors are the terminal: only src/cli uses them.',
      from: { path: '^src/(?!cli/)' },
      to: { path: 'node_modules/(commander|picocolors)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types still ties two modules together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
    },
  },
};
