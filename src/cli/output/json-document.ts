/**
 * The `schema` of every document `--json` prints: `tenon.<part>.<command>/v<N>`
 * (`tenon.load/v1` and `tenon.demo/v1` kept their names). A version goes
 * up when a key is renamed or removed, or changes meaning; adding keys does
 * not. docs/cli.md#json-output lists them (test/cli/json-document.test.ts
 * keeps the two in sync).
 */
export const JSON_SCHEMAS = [
  'tenon.error/v1',
  'tenon.config/v1',
  'tenon.migrate.create/v1',
  'tenon.migrate.up/v1',
  'tenon.migrate.down/v1',
  'tenon.migrate.status/v1',
  'tenon.migrate.verify/v1',
  'tenon.migrate.baseline/v1',
  'tenon.migrate.repair/v1',
  'tenon.migrate.lint/v1',
  'tenon.migrate.trace/v1',
  'tenon.load/v1',
  'tenon.load.scenario/v1',
  'tenon.load.capacity/v1',
  'tenon.load.merge/v1',
  'tenon.load.emit/v1',
  'tenon.analyze.analyze/v1',
  'tenon.analyze.explain/v1',
  'tenon.analyze.suggest-indexes/v1',
  'tenon.analyze.snapshot/v1',
  'tenon.scaffold.new/v1',
  'tenon.scaffold.generate/v1',
  'tenon.demo/v1',
] as const;

/** One of {@link JSON_SCHEMAS}. */
export type JsonSchemaName = (typeof JSON_SCHEMAS)[number];

/**
 * A `--json` document: `schema` first, then the command's keys (camelCase
 * everywhere). A value that carries its own `schema` (a load or demo result)
 * must carry the same one.
 */
export function jsonDocument<T extends object>(
  schema: JsonSchemaName,
  value: T,
): { schema: JsonSchemaName } & T {
  const own = (value as { schema?: unknown }).schema;
  if (own !== undefined && own !== schema)
    throw new Error(`JSON document ${String(own)} printed as ${schema}`);
  return { schema, ...value };
}
