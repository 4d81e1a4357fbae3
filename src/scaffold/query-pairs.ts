/**
 * A sample value of a query parameter as the `[key, value]` pairs a client
 * sends, by the style and explode its schema carries (`x-query-style`,
 * `x-query-explode`, written by openapi-operations' parameters): an exploded
 * object is its properties as keys, a deepObject `name[key]`, a form object
 * not exploded `name=k,v,k,v`; an exploded array repeats its key, other
 * arrays are joined by `,`, space or `|`.
 */
export function queryPairs(
  name: string,
  schema: Record<string, unknown>,
  value: unknown,
): [string, string][] {
  const style = typeof schema['x-query-style'] === 'string' ? schema['x-query-style'] : 'form';
  const explode =
    typeof schema['x-query-explode'] === 'boolean' ? schema['x-query-explode'] : style === 'form';
  const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  if (Array.isArray(value)) {
    if (explode) return value.map((v) => [name, text(v)]);
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return [[name, value.map(text).join(separator)]];
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (style === 'deepObject') return entries.map(([k, v]) => [`${name}[${k}]`, text(v)]);
    if (explode)
      return entries.flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, text(x)]) : [[k, text(v)]],
      ) as [string, string][];
    return [[name, entries.flatMap(([k, v]) => [k, text(v)]).join(',')]];
  }
  return [[name, text(value)]];
}
