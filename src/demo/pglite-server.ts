import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { refuseCopyFromStdin } from './refuse-copy-from-stdin.js';
import { ReplyTracker } from './reply-tracker.js';
import {
  cString,
  errorResponse,
  FRONTEND_MESSAGE_TYPES,
  type WireError,
  wireMessage,
} from './wire-message.js';

/** A running {@link servePglite} listener. */
export interface PgliteServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`. */
  url: string;
  port: number;
  /** Closes every client connection (rolling back what they left open) and the listener. */
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** PostgreSQL's own limits: a start-up packet and an ordinary message. */
const MAX_STARTUP_LENGTH = 10_000;
const MAX_MESSAGE_LENGTH = 0x3fffffff;

/**
 * An Execute of a portal that cannot exist, then a Sync: the error aborts
 * whatever extended-protocol exchange a departed client left half done
 * (its implicit transaction is rolled back, not committed by the Sync).
 */
const ABORT_EXCHANGE = Buffer.concat([
  wireMessage('E', Buffer.concat([cString('tenon_departed_client'), Buffer.alloc(4)])),
  wireMessage('S'),
]);
const ROLLBACK = wireMessage('Q', cString('ROLLBACK'));

/**
 * Serves one in-process PGlite over the PostgreSQL wire protocol on a
 * loopback port, so a separate process (the generated app, with `pg`) uses
 * the same database that this process analyzes: PGlite allows one process,
 * and its pg_stat_statements counters live in that process's memory.
 *
 * PGlite has a single backend, so clients take turns. A client keeps the
 * backend from its first message until an answer ends in ReadyForQuery with
 * the idle status: a batch that ends in Flush (cursors, `pg`'s `rows`
 * option) or leaves a transaction open keeps it, and everyone else waits —
 * this process's own queries included, since a turn holds PGlite's query
 * lock. A client that disconnects in the middle has its exchange aborted and
 * its transaction rolled back before the next one gets the backend.
 *
 * Not like a server PostgreSQL: session state (SET, prepared statement
 * names, temporary tables) is shared by all clients; a cancel request is
 * accepted and ignored, since PGlite cannot be interrupted (the statement
 * runs to its end); `COPY … FROM STDIN` is refused with SQLSTATE 0A000.
 */
export async function servePglite(pglite: PGlite, host = '127.0.0.1'): Promise<PgliteServer> {
  const connections = new Set<Connection>();
  /** The connection whose turn it is, and how to end that turn. */
  let holder: Connection | undefined;
  let endTurn: (() => void) | undefined;

  class Connection {
    #buffer: Buffer = Buffer.alloc(0);
    #started = false;
    #pending: Buffer[] = [];
    #work: Promise<void> = Promise.resolve();
    #closing: Promise<void> | undefined;
    /** Set after Terminate or a protocol violation: nothing more is read. */
    #ending = false;
    /** Set when the server shuts down: queued work is dropped, not run. */
    abandoned = false;
    /** Follows this client's answers: where the backend stands after them. */
    readonly #replies = new ReplyTracker();

    constructor(readonly socket: Socket) {}

    receive(chunk: Buffer): void {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      while (!this.#ending) {
        if (!this.#started) {
          if (this.#buffer.length < 8) return;
          const length = this.#buffer.readInt32BE(0);
          if (length < 8 || length > MAX_STARTUP_LENGTH) {
            this.#refuse({ severity: 'FATAL', code: '08P01', message: 'invalid length of startup packet' });
            return;
          }
          if (this.#buffer.length < length) return;
          const code = this.#buffer.readInt32BE(4);
          const message = Buffer.from(this.#buffer.subarray(0, length));
          this.#buffer = this.#buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            this.socket.write('N');
          } else if (code === CANCEL_REQUEST) {
            // PostgreSQL answers a cancel request by closing; PGlite cannot interrupt a statement anyway.
            this.#hangUp();
            return;
          } else if (code >>> 16 !== 3) {
            this.#refuse({
              severity: 'FATAL',
              code: '0A000',
              message: `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.2`,
            });
            return;
          } else {
            this.#started = true;
            this.#enqueue([message]);
          }
          continue;
        }
        if (this.#buffer.length < 5) return;
        const type = String.fromCharCode(this.#buffer[0]!);
        const declared = this.#buffer.readInt32BE(1);
        if (declared < 4 || declared > MAX_MESSAGE_LENGTH) {
          this.#refuse({ severity: 'FATAL', code: '08P01', message: `invalid message length ${declared}` });
          return;
        }
        if (type === 'X') {
          // Terminate: what was sent without a Sync is dropped, as a server drops it with the session.
          this.#hangUp();
          return;
        }
        if (!FRONTEND_MESSAGE_TYPES.has(type)) {
          this.#refuse({
            severity: 'FATAL',
            code: '08P01',
            message: `invalid frontend message type ${this.#buffer[0]}`,
          });
          return;
        }
        const length = 1 + declared;
        if (this.#buffer.length < length) return;
        const message = Buffer.from(this.#buffer.subarray(0, length));
        this.#buffer = this.#buffer.subarray(length);
        this.#pending.push(message);
        // A Sync or a simple Query ends a unit that gets an answer; Flush asks for what is ready so far.
        if (type === 'S' || type === 'Q' || type === 'H') {
          const unit = this.#pending;
          this.#pending = [];
          this.#enqueue(unit);
        }
      }
    }

    /** Answers a protocol violation with a FATAL error, as PostgreSQL does, and ends the session. */
    #refuse(error: WireError): void {
      this.#hangUp(errorResponse(error));
    }

    /**
     * Ends the session after the units already received have run, in order,
     * as a server runs what it read before the end (a COMMIT sent just
     * before Terminate still commits).
     */
    #hangUp(last?: Buffer): void {
      this.#ending = true;
      void this.#work.then(() => {
        if (!this.socket.destroyed) this.socket.end(last ?? Buffer.alloc(0));
        return this.close();
      });
    }

    #enqueue(unit: Buffer[]): void {
      this.#work = this.#work
        .then(() => this.#run(unit))
        .catch((error: unknown) => {
          this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
          void this.close();
        });
    }

    /** Waits for this client's turn: the backend, and PGlite's query lock with it. */
    async #acquire(): Promise<void> {
      if (holder === this) return;
      await new Promise<void>((granted) => {
        void pglite.runExclusive(
          () =>
            new Promise<void>((release) => {
              holder = this;
              endTurn = release;
              granted();
            }),
        );
      });
    }

    #letGo(): void {
      if (holder !== this) return;
      const release = endTurn;
      holder = undefined;
      endTurn = undefined;
      release?.();
    }

    /**
     * Runs raw protocol bytes on the backend (the caller holds the turn),
     * feeding what it answers to `tracker` and, when `forward`, to the client.
     */
    async #exec(bytes: Buffer, tracker: ReplyTracker, forward: boolean): Promise<void> {
      await pglite.execProtocolRawStream(new Uint8Array(bytes), {
        onRawData: (data: Uint8Array) => {
          if (data.length === 0) return;
          tracker.feed(data);
          if (forward && !this.socket.destroyed) this.socket.write(Buffer.from(data));
        },
      });
    }

    async #run(unit: Buffer[]): Promise<void> {
      if (this.abandoned) return;
      await this.#acquire();
      // The server shut down while this waited for its turn: close() ends the turn.
      if (this.abandoned) return;
      // An answer that does not end in ReadyForQuery (after a Flush, or while the backend skips
      // messages up to a Sync after an error, when it answers nothing) keeps the turn.
      try {
        await this.#exec(Buffer.concat(await refuseCopyFromStdin(unit)), this.#replies, true);
      } catch (error) {
        this.#replies.breakOff();
        throw error;
      }
      if (this.#replies.ready === 'I') this.#letGo();
    }

    /**
     * Ends the session: waits for its queued work, then, if it still holds
     * the backend, aborts its half-done exchange and rolls back its
     * transaction before passing the turn on.
     */
    close(): Promise<void> {
      this.#closing ??= (async () => {
        await this.#work.catch(() => undefined);
        if (holder !== this) return;
        try {
          if (this.#replies.ready !== 'I') {
            const cleanup = new ReplyTracker();
            await this.#exec(ABORT_EXCHANGE, cleanup, false);
            if (cleanup.ready !== 'I') await this.#exec(ROLLBACK, cleanup, false);
          }
        } catch {
          // PGlite itself failed (e.g. it was closed): nothing is left to roll back.
        } finally {
          this.#letGo();
        }
      })();
      return this.#closing;
    }
  }

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    const connection = new Connection(socket);
    connections.add(connection);
    socket.on('data', (chunk: Buffer) => connection.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      void connection.close().finally(() => connections.delete(connection));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const open = [...connections];
      for (const connection of open) {
        connection.abandoned = true;
        connection.socket.destroy();
      }
      await Promise.all(open.map((connection) => connection.close()));
      await closed;
    },
  };
}
