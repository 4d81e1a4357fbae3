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
export function answerGap(body: Schema, answer: Schema, at = ''): string | undefined {
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
