/**
 * Names for the service's parameterized statements, so each pooled
 * connection parses and plans a statement once and afterwards only binds and
 * runs it (the extended protocol's named statements). A by-id read costs the
 * database server less than half the CPU of an unnamed statement, parsed
 * again on every call.
 *
 * Only the first `max` distinct texts get a name: the service's SQL comes from
 * a bounded set of shapes (the repositories build it from fixed fragments, the
 * values are parameters), and the cap bounds what every connection keeps
 * prepared on the server even if some code builds texts without bound.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private next = 0;

  constructor(private readonly max = 500) {}

  /** The statement's name, or undefined when it runs unnamed (no parameters, or the cap reached). */
  nameOf(text: string, params: readonly unknown[]): string | undefined {
    if (params.length === 0) return undefined;
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.max) return known;
    const name = `tenon_${this.next++}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * Forgets a statement whose prepared plan the server refused: after a migration changed the
   * type of a column it returns ("cached plan must not change result type"), the next call
   * prepares it under a new name on every connection.
   */
  forget(text: string): void {
    this.names.delete(text);
  }
}

/** PostgreSQL refused a prepared statement because the tables under it changed since it was prepared. */
export function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}
