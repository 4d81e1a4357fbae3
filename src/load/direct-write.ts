// Imported by the load worker: keep this module free of zod and the rest of the CLI's imports.
import type net from 'node:net';
import { getSystemErrorName } from 'node:util';

/** A libuv write request as Node's stream handles take it (the object Node's own writes use). */
interface WriteReq {
  handle: unknown;
  oncomplete: (status: number) => void;
}
type WriteReqClass = new () => WriteReq;
/** What Node's stream binding gives: its write request class and the state its writes leave. */
interface StreamBinding {
  WriteWrap?: WriteReqClass;
  /** Set by every write: [kLastWriteWasAsync] is 1 when libuv kept the request for later. */
  streamBaseState?: Int32Array;
  kLastWriteWasAsync?: number;
}
interface StreamHandle {
  writeBuffer(req: WriteReq, data: Uint8Array): number;
}

/**
 * Node's stream binding, or null where its write requests cannot be had
 * (then every write goes through `socket.write`). `process.binding` is
 * deprecated in the documentation only; no warning is printed unless
 * `--pending-deprecation` is given, and that flag is checked here so a run
 * never prints one.
 */
const BINDING: Required<StreamBinding> | null = (() => {
  if (process.execArgv.includes('--pending-deprecation') || process.env.NODE_PENDING_DEPRECATION === '1')
    return null;
  try {
    const binding = (process as unknown as { binding(name: string): StreamBinding }).binding('stream_wrap');
    const { WriteWrap, streamBaseState, kLastWriteWasAsync } = binding;
    if (typeof WriteWrap !== 'function' || !(streamBaseState instanceof Int32Array)) return null;
    if (typeof kLastWriteWasAsync !== 'number') return null;
    return { WriteWrap, streamBaseState, kLastWriteWasAsync };
  } catch {
    return null;
  }
})();

/** Called when a write fails, with the error code (`EPIPE`, `ECONNRESET`, …). */
export type WriteFailure = (code: string) => void;

/**
 * Writes a connection's request bytes straight to its TCP handle, the way
 * `net.Socket` itself does at the bottom of `socket.write`, without the
 * Writable stream above it: no write queue, no callback scheduled with
 * `process.nextTick` per write (which also makes Node run its tick queue
 * after every read callback), no per-write state. A load generator writes
 * one small request per response and never needs that machinery; it was
 * ~9% of the CPU per request of a bare Node client against nginx.
 *
 * Falls back to `socket.write` where Node does not expose its write
 * requests, or before the socket has a handle.
 */
export class DirectWriter {
  #req: WriteReq | null = null;
  readonly #socket: net.Socket;
  readonly #onFailure: WriteFailure;
  readonly #oncomplete = (status: number): void => {
    if (status < 0) this.#onFailure(getSystemErrorName(status));
  };

  constructor(socket: net.Socket, onFailure: WriteFailure) {
    this.#socket = socket;
    this.#onFailure = onFailure;
  }

  /** Writes `data`; a failure is reported through the callback given to the constructor. */
  write(data: Uint8Array): void {
    const handle = (this.#socket as unknown as { _handle: StreamHandle | null })._handle;
    const binding = BINDING;
    if (binding === null || handle === null || typeof handle.writeBuffer !== 'function') {
      this.#socket.write(data);
      return;
    }
    let req = this.#req;
    if (req === null) {
      req = new binding.WriteWrap();
      req.handle = handle;
      req.oncomplete = this.#oncomplete;
      this.#req = req;
    }
    const status = handle.writeBuffer(req, data);
    if (status < 0) {
      this.#onFailure(getSystemErrorName(status));
      return;
    }
    // Written in part: libuv keeps this request until the rest is out (and then calls oncomplete);
    // the next write needs a request of its own. `data` stays alive: it is the target's request.
    if (binding.streamBaseState[binding.kLastWriteWasAsync] !== 0) this.#req = null;
  }
}

/** Whether writes go straight to the handle here (false: through `socket.write`). */
export const DIRECT_WRITES = BINDING !== null;
