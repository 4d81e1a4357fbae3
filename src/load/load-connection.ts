import net from 'node:net';
import { DirectWriter } from './direct-write.js';
import { categorizeSocketError, type ErrorCategory } from './error-category.js';
import type { IntervalRecorder } from './interval-recorder.js';
import { ResponseParser } from './response-parser.js';
import type { WorkerTarget } from './worker-protocol.js';

/** One read buffer per worker thread (each thread loads its own copy of this module). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Connection states. */
export const CONNECTING = 0;
export const IDLE = 1;
export const BUSY = 2;
export const CLOSED = 3;

/** What a {@link LoadConnection} reports to the engine that owns it. */
export interface ConnectionOwner {
  /** The TCP connection is up and idle. */
  onConnected(conn: LoadConnection): void;
  /** A complete response arrived; `conn.state` is IDLE (or CLOSED when the server asked to close). */
  onResponse(conn: LoadConnection, status: number): void;
  /** The request in flight (or the connection attempt) failed; the socket is being closed. */
  onFailure(conn: LoadConnection, category: ErrorCategory): void;
  /** The socket is gone, whatever the reason. */
  onClosed(conn: LoadConnection): void;
}

/**
 * One keep-alive HTTP/1.1 connection of a worker: it writes precomputed
 * request bytes, feeds what it reads to a {@link ResponseParser}, and turns
 * every way a server can misbehave into exactly one failure category.
 * At most one request is in flight (no pipelining): that is what real
 * clients do, and what keeps latency per request meaningful.
 */
export class LoadConnection {
  state = CONNECTING;
  /** Intended start of the request in flight (ms); equals {@link sentAt} in the closed model. */
  intended = -1;
  /** When the request in flight was written (ms). */
  sentAt = 0;
  /** When the connection attempt started (ms). */
  connectStartedAt = 0;
  /** The connection carries a request (sent, or waiting for the connection to come up). */
  inUse = false;
  /** Consecutive failed connection attempts (closed model back-off). */
  failures = 0;
  /** The connection attempt has ended (connected or failed); the engine's bookkeeping. */
  connected = false;
  /** Closed model: close after the current response (stages ramping down). */
  retire = false;
  readonly #socket: net.Socket;
  readonly #writer: DirectWriter;
  readonly #parser: ResponseParser;
  #error: NodeJS.ErrnoException | undefined;
  #closedByUs = false;

  constructor(
    readonly owner: ConnectionOwner,
    readonly targetIndex: number,
    readonly target: WorkerTarget,
    readonly recorder: IntervalRecorder,
    now: number,
  ) {
    this.connectStartedAt = now;
    this.#parser = new ResponseParser((status, keepAlive) => this.#parsed(status, keepAlive));
    const socket = net.connect({
      host: target.host,
      port: target.port,
      noDelay: true,
      // Reads land in one buffer shared by the worker's connections (the parser copies what it
      // keeps): no Buffer allocated per read, not even a view (the parser takes the length), no
      // stream machinery, ~10% less CPU per request.
      onread: {
        buffer: READ_BUFFER,
        callback: (nread: number) => {
          recorder.bytes += nread;
          if (!this.#parser.execute(READ_BUFFER, nread)) this.fail('invalidResponse');
          return true;
        },
      },
    });
    this.#socket = socket;
    this.#writer = new DirectWriter(socket, (code) => this.fail(categorizeSocketError(code, false)));
    socket.on('connect', () => {
      this.state = IDLE;
      this.failures = 0;
      owner.onConnected(this);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error;
    });
    socket.on('close', () => this.#closed());
  }

  /** Writes the request; `intended` is its scheduled start, `now` the time of writing. */
  send(intended: number, now: number): void {
    this.state = BUSY;
    this.intended = intended;
    this.sentAt = now;
    this.#parser.expect(this.target.head);
    this.#writer.write(this.target.request);
  }

  /** Fails the request in flight (timeouts, invalid bytes) and closes the connection. */
  fail(category: ErrorCategory): void {
    if (this.#closedByUs) return;
    this.#closedByUs = true;
    this.#parser.stop();
    this.#socket.destroy();
    this.owner.onFailure(this, category);
  }

  /** Closes the connection without failing anything. */
  close(): void {
    if (this.#closedByUs) return;
    this.#closedByUs = true;
    this.#parser.stop();
    this.#socket.destroy();
  }

  #parsed(status: number, keepAlive: boolean): void {
    if (this.state !== BUSY) {
      // A response nobody asked for.
      this.fail('invalidResponse');
      return;
    }
    if (status === 429 && this.#parser.rateLimitHead !== null) {
      this.recorder.rateLimitHead(this.#parser.rateLimitHead);
      this.#parser.rateLimitHead = null;
    }
    if (keepAlive) {
      this.state = IDLE;
    } else {
      this.state = CLOSED;
      this.close();
    }
    this.owner.onResponse(this, status);
  }

  #closed(): void {
    const state = this.state;
    this.state = CLOSED;
    if (!this.#closedByUs) {
      if (state === CONNECTING) {
        this.owner.onFailure(this, this.#error ? categorizeSocketError(this.#error.code, true) : 'reset');
      } else if (state === BUSY) {
        this.state = BUSY;
        // A body delimited by the end of the connection completes here (and reports through #parsed).
        const complete = this.#error === undefined && this.#parser.finish();
        if (this.state === BUSY || !complete) {
          this.state = CLOSED;
          this.owner.onFailure(this, this.#error ? categorizeSocketError(this.#error.code, false) : 'reset');
        }
      }
      // An idle connection closed by the server (keep-alive timeout) is not a failed request.
    }
    this.state = CLOSED;
    this.owner.onClosed(this);
  }
}
