/**
 * Answers the spec declares in a schema of their own, not the one GET
 * answers (a create answering `lists: [1, 2]` where GET answers
 * `lists: [{ id: 1, name }]`): written from the row as GET answers it.
 * Serializing through the answer's own schema leaves out what it does not
 * declare; what it declares otherwise is derived here.
 */

/** How a property is derived: the ids of embedded objects, or objects naming ids. */
export type Derivation = 'ids' | 'objects';

/** `value` with each property of `derive` written as the operation declares it. */
export function shaped(value: object, derive: Readonly<Record<string, Derivation>>): object {
  const out: Record<string, unknown> = { ...value };
  for (const [name, how] of Object.entries(derive)) {
    const list = out[name];
    if (!Array.isArray(list)) continue;
    out[name] =
      how === 'ids'
        ? list.map((o) => (typeof o === 'object' && o !== null ? (o as { id?: unknown }).id : o))
        : list.map((id) => (typeof id === 'object' && id !== null ? id : { id }));
  }
  return out;
}
