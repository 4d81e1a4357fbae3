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
  private off = false;

  constructor(private readonly max = 500) {}

  /** The statement's name, or undefined when it runs unnamed (no parameters, or the cap reached). */
  nameOf(text: string, params: readonly unknown[]): string | undefined {
    if (params.length === 0 || this.off) return undefined;
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

  /**
   * Stops naming statements, for good: the server sessions behind the pool are not the pool's own
   * (see {@link isForeignSession}), so a name prepared on one connection means nothing on the next.
   * Returns false when they were already off.
   */
  turnOff(): boolean {
    if (this.off) return false;
    this.off = true;
    this.names.clear();
    return true;
  }
}

/**
 * The server's session does not hold the statements this connection prepared, or holds another
 * connection's: "prepared statement does not exist" (26000) or "already exists" (42P05). That is a
 * pooler between the app and PostgreSQL that hands server sessions around (PgBouncer in transaction
 * mode before 1.21, or without `max_prepared_statements`), or a `DISCARD ALL` on the session. The
 * statement did not run: it failed at Parse or Bind.
 */
export function isForeignSession(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '26000' || code === '42P05';
}

/** PostgreSQL refused a prepared statement because the tables under it changed since it was prepared. */
export function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}
