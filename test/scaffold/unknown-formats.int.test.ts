import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A format of the spec's own (train-travel's `iso-country-code`) is an annotation: any string
 * passes it. ajv, meeting a format it does not know, printed "unknown format … ignored in schema"
 * to the console (twice) at every start of the app, outside its JSON logs; tenon now lists such
 * formats in src/generated/formats.ts, the app registers them as annotations, and the generation
 * report names them.
 */
const { spec, work } = scaffoldFixture('unknown-formats.yaml');

const CHECK = `${CHECK_SETUP}
import { vi } from 'vitest';

// Before the app's modules load: ajv writes to console.warn.
const warned = vi.hoisted(() => {
  const lines: string[] = [];
  const original = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
    original(...args);
  };
  return lines;
});

describe('a format the validation does not know', () => {
  it('is an annotation: any string passes it, in a body and in the query', async () => {
    const made = await app.request('POST', '/stations', { name: 'Berlin Hbf', country: 'not a country code' }, admin.headers);
    expect(made.status).toBe(201);
    const list = await app.request('GET', '/stations?country=anything', undefined, admin.headers);
    expect(list.status).toBe(200);
    // Known formats are still checked.
    const bad = await app.request('POST', '/stations', { name: 'x', country: 'DE', opened: 'yesterday' }, admin.headers);
    expect(bad.status).toBe(400);
  });

  it('makes ajv print nothing when the app starts and validates', () => {
    expect(warned.filter((line) => /unknown format/.test(line))).toEqual([]);
  });
});
`;

checkEachFramework(
  'unknown formats in a generated %s project',
  'are annotations that print nothing',
  { spec, work },
  {
    name: 'unknown-formats-check.test.ts',
    source: CHECK,
    // Alone: the project's test files share one module cache (isolate: false), and a file run
    // before this one would have compiled the schemas, and printed, before the spy was set.
    tests: [],
    allCrud: true,
  },
);
