import type { IntervalRecorder } from './interval-recorder.js';
import { BUSY, CLOSED, type ConnectionOwner, IDLE, LoadConnection } from './load-connection.js';
import type { WorkerTarget } from './worker-protocol.js';

/**
 * The connections of one worker: every live connection, the idle ones per
 * target, and the attempts in flight. It opens, parks, hands out and times
 * out connections; what to send on them, and when, is the engine's
 * business (load-engine.ts).
 */
export class ConnectionPool {
  /** Every connection not yet closed (connecting, idle or busy). */
  readonly all = new Set<LoadConnection>();
  readonly #idle: LoadConnection[][];
  #connecting = 0;
  readonly #connectingFor: number[];

  readonly #targets: readonly WorkerTarget[];

  constructor(
    readonly owner: ConnectionOwner,
    targets: readonly WorkerTarget[],
    readonly recorders: readonly IntervalRecorder[],
  ) {
    // The request bytes reach a worker as a plain Uint8Array (structured clone), which
    // socket.write wraps in a new Buffer on every request; a Buffer view made once spares that.
    this.#targets = targets.map((t) => ({
      ...t,
      request: Buffer.from(t.request.buffer, t.request.byteOffset, t.request.byteLength),
    }));
    this.#idle = targets.map(() => []);
    this.#connectingFor = targets.map(() => 0);
  }

  get size(): number {
    return this.all.size;
  }

  /** Connection attempts in flight. */
  get connecting(): number {
    return this.#connecting;
  }

  /** Connection attempts in flight for `target`. */
  connectingFor(target: number): number {
    return this.#connectingFor[target]!;
  }

  /** Starts a connection to `target`; its attempt counts as in flight until {@link connectEnded}. */
  open(target: number, t: number): LoadConnection {
    const conn = new LoadConnection(this.owner, target, this.#targets[target]!, this.recorders[target]!, t);
    this.all.add(conn);
    this.#connecting++;
    this.#connectingFor[target]!++;
    return conn;
  }

  /** Bookkeeping when a connection attempt ends, either way (once per connection). */
  connectEnded(conn: LoadConnection): void {
    if (conn.connected) return;
    conn.connected = true;
    this.#connecting--;
    this.#connectingFor[conn.targetIndex]!--;
  }

  /** An idle connection to `target`, or undefined (closed ones left in the list are skipped). */
  takeIdle(target: number): LoadConnection | undefined {
    const idle = this.#idle[target]!;
    let conn = idle.pop();
    while (conn && conn.state !== IDLE) conn = idle.pop();
    return conn;
  }

  /** Keeps a free connection for the next request to its target. */
  park(conn: LoadConnection): void {
    this.#idle[conn.targetIndex]!.push(conn);
  }

  /** Forgets a closed connection. */
  delete(conn: LoadConnection): void {
    this.all.delete(conn);
  }

  /** Connections not marked to retire (closed model). */
  live(): LoadConnection[] {
    return [...this.all].filter((c) => !c.retire);
  }

  /** Closes the connections that carry nothing (when the run stops). */
  closeIdle(): void {
    for (const conn of this.all) if (conn.state === IDLE && !conn.inUse) conn.close();
  }

  /** Fails every connection that carries a request (the grace after a stop is over). */
  failInUse(): void {
    for (const conn of this.all) if (conn.inUse) conn.fail('timeout');
  }

  closeAll(): void {
    for (const conn of this.all) conn.close();
  }

  /** Fails responses slower than `timeoutMs` and connection attempts that took longer. */
  timeOut(t: number, timeoutMs: number): void {
    for (const conn of this.all) {
      if (conn.state === BUSY && t - conn.sentAt > timeoutMs) conn.fail('timeout');
      else if (
        conn.state !== BUSY &&
        conn.state !== IDLE &&
        conn.state !== CLOSED &&
        t - conn.connectStartedAt > timeoutMs
      ) {
        conn.fail('connectTimeout');
      }
    }
  }
}
