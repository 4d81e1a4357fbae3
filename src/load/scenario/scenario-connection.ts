import net from 'node:net';
import { categorizeSocketError, type ErrorCategory } from '../error-category.js';
import { ResponseParser } from '../response-parser.js';

/** A complete response's bytes, or why there is none. */
export type RawOutcome = { ok: true; status: number; raw: Buffer } | { ok: false; category: ErrorCategory };

/**
 * One keep-alive HTTP/1.1 connection of a virtual user. Unlike the plain
 * engine's connections it keeps the response bytes (extraction and checks
 * need headers and body); framing is the engine's own {@link ResponseParser},
 * so every way a server misbehaves maps to the same error categories.
 */
export class ScenarioConnection {
  #socket: net.Socket | undefined;
  #connected = false;
  #chunks: Buffer[] = [];
  #pending: ((outcome: RawOutcome) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sentAt = 0;
  #error: NodeJS.ErrnoException | undefined;
  readonly #parser: ResponseParser;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly timeoutMs: number,
  ) {
    this.#parser = new ResponseParser((status, keepAlive) => this.#complete(status, keepAlive));
  }

  /** Sends one request and resolves with its response (no pipelining: one request at a time). */
  request(bytes: Uint8Array, head: boolean): Promise<RawOutcome> {
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#chunks = [];
      this.#sentAt = performance.now();
      // One timer per connection, restarted per request: creating and clearing a timer for every
      // request costs more than the rest of the bookkeeping.
      if (this.#timer) this.#timer.refresh();
      else this.#timer = setTimeout(() => this.#onTimer(), this.timeoutMs).unref();
      this.#parser.expect(head);
      const socket = this.#socket ?? this.#open();
      if (this.#connected) socket.write(bytes);
      else socket.once('connect', () => socket.write(bytes));
    });
  }

  /** Closes the connection (a later request opens a new one). */
  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  /** Ends the connection for good: closes it and drops its timer. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.close();
  }

  #onTimer(): void {
    if (!this.#pending) return; // idle: the timer outlived its request
    const left = this.#sentAt + this.timeoutMs - performance.now();
    if (left > 1) {
      this.#timer!.refresh();
      return;
    }
    this.#settleFailure(this.#connected ? 'timeout' : 'connectTimeout');
  }

  #open(): net.Socket {
    this.#connected = false;
    this.#error = undefined;
    this.#parser.reset();
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.#socket = socket;
    socket.on('connect', () => {
      this.#connected = true;
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.#socket !== socket) return;
      this.#chunks.push(chunk);
      if (!this.#parser.execute(chunk)) this.#settleFailure('invalidResponse');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error;
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (!this.#pending) return; // an idle keep-alive connection closed by the server: not a failure
      if (this.#error === undefined && this.#parser.finish() && !this.#pending) return;
      this.#settleFailure(this.#error ? categorizeSocketError(this.#error.code, !this.#connected) : 'reset');
    });
    return socket;
  }

  #complete(status: number, keepAlive: boolean): void {
    const resolve = this.#pending;
    if (!resolve) {
      this.#settleFailure('invalidResponse');
      return;
    }
    this.#pending = undefined;
    const raw = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [];
    if (!keepAlive) this.close();
    resolve({ ok: true, status, raw });
  }

  #settleFailure(category: ErrorCategory): void {
    const resolve = this.#pending;
    this.#pending = undefined;
    this.#parser.stop();
    this.close();
    resolve?.({ ok: false, category });
  }
}
