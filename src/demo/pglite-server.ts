import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** A running {@link servePglite} listener. */
export interface PgliteServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`. */
  url: string;
  port: number;
  /** Closes every client connection and the listener. */
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/**
 * Serves one in-process PGlite over the PostgreSQL wire protocol on a
 * loopback port, so a separate process (the generated app, with `pg`) uses
 * the same database that this process analyzes: PGlite allows one process,
 * and its pg_stat_statements counters live in that process's memory.
 *
 * PGlite has a single backend, so clients take turns: each client's
 * messages are run up to a Sync or a simple Query as one unit, and a client
 * that leaves a transaction open keeps the backend until it ends the
 * transaction (or disconnects, which rolls it back). Named prepared
 * statements would be shared by all clients; `pg` uses the unnamed one.
 */
export async function servePglite(pglite: PGlite, host = '127.0.0.1'): Promise<PgliteServer> {
  const sockets = new Set<Socket>();
  let turn: Promise<void> = Promise.resolve();
  let holder: Connection | undefined;

  class Connection {
    #buffer: Buffer = Buffer.alloc(0);
    #started = false;
    #pending: Buffer[] = [];
    #work: Promise<void> = Promise.resolve();
    #release: (() => void) | undefined;
    #closed = false;

    constructor(readonly socket: Socket) {}

    receive(chunk: Buffer): void {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      for (;;) {
        if (!this.#started) {
          if (this.#buffer.length < 8) return;
          const length = this.#buffer.readInt32BE(0);
          if (this.#buffer.length < length) return;
          const code = this.#buffer.readInt32BE(4);
          const message = this.#buffer.subarray(0, length);
          this.#buffer = this.#buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            this.socket.write('N');
          } else if (code === CANCEL_REQUEST) {
            this.socket.end();
            return;
          } else {
            this.#started = true;
            this.#enqueue([Buffer.from(message)]);
          }
          continue;
        }
        if (this.#buffer.length < 5) return;
        const length = 1 + this.#buffer.readInt32BE(1);
        if (this.#buffer.length < length) return;
        const type = String.fromCharCode(this.#buffer[0]!);
        const message = Buffer.from(this.#buffer.subarray(0, length));
        this.#buffer = this.#buffer.subarray(length);
        if (type === 'X') {
          this.socket.end();
          return;
        }
        this.#pending.push(message);
        // A Sync or a simple Query ends a unit that gets an answer; Flush asks for what is ready.
        if (type === 'S' || type === 'Q' || type === 'H') {
          const unit = this.#pending;
          this.#pending = [];
          this.#enqueue(unit);
        }
      }
    }

    #enqueue(unit: Buffer[]): void {
      this.#work = this.#work
        .then(() => this.#run(Buffer.concat(unit)))
        .catch((error: unknown) => {
          this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
        });
    }

    async #acquire(): Promise<void> {
      if (holder === this) return;
      const previous = turn;
      let release!: () => void;
      turn = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      holder = this;
      this.#release = release;
    }

    #letGo(): void {
      if (holder !== this) return;
      holder = undefined;
      const release = this.#release;
      this.#release = undefined;
      release?.();
    }

    async #run(message: Buffer): Promise<void> {
      if (this.#closed) return;
      await this.#acquire();
      let tail: Buffer = Buffer.alloc(0);
      try {
        await pglite.runExclusive(() =>
          pglite.execProtocolRawStream(new Uint8Array(message), {
            onRawData: (data: Uint8Array) => {
              if (data.length === 0) return;
              const chunk = Buffer.from(data);
              tail = Buffer.concat([tail, chunk]).subarray(-6);
              if (!this.#closed) this.socket.write(chunk);
            },
          }),
        );
      } finally {
        // ReadyForQuery ('Z', length 5, status) ends every answer: 'I' idle, 'T'/'E' inside a transaction.
        const status = tail.length === 6 && tail[0] === 0x5a ? String.fromCharCode(tail[5]!) : 'I';
        if (status === 'I' || this.#closed) this.#letGo();
      }
    }

    async close(): Promise<void> {
      if (this.#closed) return;
      this.#closed = true;
      await this.#work;
      if (holder === this) {
        try {
          if (pglite.isInTransaction()) await pglite.exec('rollback');
        } finally {
          this.#letGo();
        }
      }
    }
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connection = new Connection(socket);
    socket.on('data', (chunk: Buffer) => connection.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      void connection.close();
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
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
