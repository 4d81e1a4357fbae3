/**
 * Whether a JSON value a request body accepts can always be answered under
 * the answer's schema (present, and a value where the answer requires one). A `jsonb` column stores what the body validated; when
 * the answer's schema requires a property the body's may leave out (a create
 * taking `{ username, password }` where the answer requires
 * `{ username, token }`), the stored row could never be answered: the
 * server would commit it, then fail to write the answer (a 500, and every
 * list holding the row after it).
 */

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a stored body value may not be answered, and why: left out, or null where the answer requires a value. */
export interface AnswerGap {
  /** A dotted path, `[]` for array items. */
  path: string;
  kind: 'missing' | 'null';
}

/**
 * The first property (a dotted path, `[]` for array items) the answer's
 * schema requires that a value valid for the body's schema may lack, or
 * undefined when every such value has them all. A body value stored as a
 * list of one (a single value where the answer has a list) is compared with
 * the list's items. ({@link answerGapOf} also says why.)
 */
export function answerGap(bodySchema: Schema, answerSchema: Schema): string | undefined {
  return answerGapOf(bodySchema, answerSchema)?.path;
}

/**
 * The first place a value valid for the body's schema could not be answered under the answer's:
 * a property the answer requires that the body may leave out, or one (or array items) the body
 * may send as null where the answer requires a value — the row stores the null and its answer
 * breaks the spec. A null the body may send where the answer does not require the property is
 * left out of the answer (null-omission.ts).
 */
export function answerGapOf(bodySchema: Schema, answerSchema: Schema, at = ''): AnswerGap | undefined {
  // `allOf` at any depth (netbird's `rules: { items: { allOf: [...] } }`) is one object to compare,
  // and a value-or-null (pydantic's `Optional[list[AnswerUpdate]]`, `anyOf: [{…}, {type: 'null'}]`)
  // is its value: the null branch hid the list's items, whose stored objects lacked what the
  // answer's items require (full-stack-fastapi-template's exam attempts answered 500).
  const body = mergeAllOf(withoutNull(bodySchema));
  const answer = mergeAllOf(withoutNull(answerSchema));
  if (answer.type === 'array' && isSchema(answer.items)) {
    if (body.type === 'array' && isSchema(body.items)) {
      if (admitsNull(body.items, false) && !admitsNull(answer.items, true))
        return { path: `${at}[]`, kind: 'null' };
      return answerGapOf(body.items, answer.items, `${at}[]`);
    }
    if (body.type !== 'array' && body.type !== undefined) return answerGapOf(body, answer.items, at);
    return undefined;
  }
  const required = Array.isArray(answer.required) ? answer.required.map(String) : [];
  if (required.length === 0 && !isSchema(answer.properties)) return undefined;
  const bodyRequired = new Set(Array.isArray(body.required) ? body.required.map(String) : []);
  const bodyProps = isSchema(body.properties) ? body.properties : {};
  const answerProps = isSchema(answer.properties) ? answer.properties : {};
  for (const name of required) {
    const path = `${at}${at ? '.' : ''}${name}`;
    if (!bodyRequired.has(name)) return { path, kind: 'missing' };
    const own = bodyProps[name];
    const theirs = answerProps[name];
    if (isSchema(own) && isSchema(theirs) && admitsNull(own, false) && !admitsNull(theirs, true))
      return { path, kind: 'null' };
  }
  for (const [name, schema] of Object.entries(answerProps)) {
    const own = bodyProps[name];
    if (!isSchema(schema) || !isSchema(own)) continue;
    const gap = answerGapOf(own, schema, `${at}${at ? '.' : ''}${name}`);
    if (gap) return gap;
  }
  return undefined;
}

/**
 * Whether a schema lets null through: a `null` type (or 3.0's `nullable`), a null branch of an
 * `anyOf`/`oneOf`, null in its `enum` or `const`. `open` answers for a schema that constrains no
 * type: true for an answer's (`{}` takes null), false for a body's (only a null the body names counts).
 */
function admitsNull(schema: Schema, open: boolean): boolean {
  if (schema.nullable === true) return true;
  const checks: boolean[] = [];
  const type = schema.type;
  if (type !== undefined) checks.push(type === 'null' || (Array.isArray(type) && type.includes('null')));
  if ('const' in schema) checks.push(schema.const === null);
  if (Array.isArray(schema.enum)) checks.push(schema.enum.includes(null));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) checks.push(branches.some((b) => isSchema(b) && admitsNull(b, true)));
  }
  if (Array.isArray(schema.allOf)) checks.push(schema.allOf.every((p) => isSchema(p) && admitsNull(p, true)));
  return checks.length === 0 ? open : checks.every(Boolean);
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
