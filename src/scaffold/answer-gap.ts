/**
 * Whether a JSON value a request body accepts can always be answered under
 * the answer's schema. A `jsonb` column stores what the body validated; when
 * the answer's schema requires a property the body's may leave out (a create
 * taking `{ username, password }` where the answer requires
 * `{ username, token }`), the stored row could never be answered: the
 * server would commit it, then fail to write the answer (a 500, and every
 * list holding the row after it).
 */

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first property (a dotted path, `[]` for array items) the answer's
 * schema requires that a value valid for the body's schema may lack, or
 * undefined when every such value has them all. A body value stored as a
 * list of one (a single value where the answer has a list) is compared with
 * the list's items.
 */
export function answerGap(bodySchema: Schema, answerSchema: Schema, at = ''): string | undefined {
  // `allOf` at any depth (netbird's `rules: { items: { allOf: [...] } }`) is one object to compare,
  // and a value-or-null (pydantic's `Optional[list[AnswerUpdate]]`, `anyOf: [{…}, {type: 'null'}]`)
  // is its value: the null branch hid the list's items, whose stored objects lacked what the
  // answer's items require (full-stack-fastapi-template's exam attempts answered 500).
  const body = mergeAllOf(withoutNull(bodySchema));
  const answer = mergeAllOf(withoutNull(answerSchema));
  if (answer.type === 'array' && isSchema(answer.items)) {
    if (body.type === 'array' && isSchema(body.items)) return answerGap(body.items, answer.items, `${at}[]`);
    if (body.type !== 'array' && body.type !== undefined) return answerGap(body, answer.items, at);
    return undefined;
  }
  const required = Array.isArray(answer.required) ? answer.required.map(String) : [];
  if (required.length === 0 && !isSchema(answer.properties)) return undefined;
  const bodyRequired = new Set(Array.isArray(body.required) ? body.required.map(String) : []);
  const bodyProps = isSchema(body.properties) ? body.properties : {};
  const answerProps = isSchema(answer.properties) ? answer.properties : {};
  for (const name of required) {
    if (!bodyRequired.has(name)) return `${at}${at ? '.' : ''}${name}`;
  }
  for (const [name, schema] of Object.entries(answerProps)) {
    const own = bodyProps[name];
    if (!isSchema(schema) || !isSchema(own)) continue;
    const gap = answerGap(own, schema, `${at}${at ? '.' : ''}${name}`);
    if (gap) return gap;
  }
  return undefined;
}

/**
 * The value a value-or-null schema admits besides null: the one non-null branch of an
 * `anyOf`/`oneOf` whose other branches are `{ type: 'null' }` (its sibling keywords kept), a
 * type list less `null` (`['array', 'null']` → `array`). Any other schema is returned as it is.
 */
export function withoutNull(schema: Schema): Schema {
  if (Array.isArray(schema.type)) {
    const types = (schema.type as unknown[]).filter((t) => t !== 'null');
    return types.length === 1 ? { ...schema, type: types[0] } : schema;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    const values = branches.filter((b) => !(isSchema(b) && b.type === 'null' && Object.keys(b).length === 1));
    if (values.length !== 1 || values.length === branches.length || !isSchema(values[0])) continue;
    const { [key]: _union, ...rest } = schema;
    return withoutNull({ ...rest, ...values[0] });
  }
  return schema;
}

/**
 * A schema with its `allOf` parts merged into it (recursively): properties side by side (a
 * property in several parts keeps them all, as an `allOf` of its own), `required` joined, and
 * `type`/`items` taken from the first part that gives them. Only what {@link answerGap} reads.
 */
export function mergeAllOf(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  let out: Schema = { ...rest };
  for (const raw of allOf as unknown[]) {
    if (!isSchema(raw)) continue;
    const part = mergeAllOf(raw);
    const required = [
      ...(Array.isArray(out.required) ? out.required : []),
      ...(Array.isArray(part.required) ? part.required : []),
    ];
    const properties: Schema = { ...(isSchema(out.properties) ? out.properties : {}) };
    for (const [name, p] of Object.entries(isSchema(part.properties) ? part.properties : {})) {
      const had = properties[name];
      properties[name] = isSchema(had) && isSchema(p) ? { allOf: [had, p] } : p;
    }
    out = {
      ...part,
      ...out,
      ...(required.length > 0 ? { required } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  }
  return out;
}
