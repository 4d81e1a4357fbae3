type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCALAR = new Set(['integer', 'number', 'string']);

/**
 * The property that names a row in the answers' objects when a request body
 * takes a list of ids where the answers have a list of objects (listmonk's
 * campaign: `lists: [1, 2]` on create, `lists: [{ id, name }]` in the
 * answers) — a reference by id, answered embedded. Undefined for any other
 * pair of schemas. The key is the item property `id`, typed as the ids are.
 */
export function idReferenceKey(body: Schema, answer: Schema): string | undefined {
  if (body.type !== 'array' || !isSchema(body.items)) return undefined;
  if (answer.type !== 'array' || !isSchema(answer.items)) return undefined;
  const id = body.items;
  if (typeof id.type !== 'string' || !SCALAR.has(id.type) || id.properties || id.enum) return undefined;
  const item = answer.items;
  if (item.type !== undefined && item.type !== 'object') return undefined;
  if (!isSchema(item.properties) || !isSchema(item.properties.id)) return undefined;
  const key = item.properties.id;
  const numeric = (t: unknown) => t === 'integer' || t === 'number';
  const fits = key.type === id.type || (numeric(key.type) && numeric(id.type));
  return fits ? 'id' : undefined;
}

/**
 * The schema of what is stored for a list of ids (`[{ id: 1 }, …]`), to check
 * that the answers can carry it (answer-gap.ts).
 */
export function storedReferences(body: Schema, key: string): Schema {
  return { type: 'array', items: { type: 'object', properties: { [key]: body.items }, required: [key] } };
}
