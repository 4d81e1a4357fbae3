/** JSON with object keys sorted, so two documents compare by content. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/** JSON pointers where `a` and `b` differ (at most `limit`). */
export function jsonDiff(a: unknown, b: unknown, limit = 8, at = ''): string[] {
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  const objects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!objects || Array.isArray(a) !== Array.isArray(b)) return [at || '/'];
  const out: string[] = [];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    if (out.length >= limit) break;
    const token = key.replace(/~/g, '~0').replace(/\//g, '~1');
    out.push(
      ...jsonDiff(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        limit - out.length,
        `${at}/${token}`,
      ),
    );
  }
  return out;
}
