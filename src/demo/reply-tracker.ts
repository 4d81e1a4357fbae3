/**
 * Backend messages that may arrive at any time, even after ReadyForQuery:
 * NoticeResponse, NotificationResponse, ParameterStatus.
 */
const ASYNCHRONOUS = new Set([0x4e /* N */, 0x41 /* A */, 0x53 /* S */]);
const READY_FOR_QUERY = 0x5a; // Z

/**
 * Follows the stream of messages a backend sends, message by message across
 * chunk boundaries, to tell whether its last answer ended with
 * ReadyForQuery — and with which transaction status. Looking only at the
 * last bytes of a chunk would mistake a data row that happens to end in
 * the same bytes for the end of the answer.
 */
export class ReplyTracker {
  readonly #header = Buffer.alloc(5);
  #headerLength = 0;
  #type = 0;
  #remaining = 0;
  #ready: 'I' | 'T' | 'E' | undefined = 'I';

  /**
   * The status of the last ReadyForQuery (`I` idle, `T` in a transaction,
   * `E` in a failed transaction) when nothing but asynchronous messages
   * followed it; `undefined` while an answer is incomplete, i.e. the
   * backend waits for more of the same exchange (after a Flush, inside a
   * COPY, or skipping messages up to a Sync after an error).
   */
  get ready(): 'I' | 'T' | 'E' | undefined {
    return this.#ready;
  }

  /** The stream broke off in the middle (the backend failed): nothing is known to be finished. */
  breakOff(): void {
    this.#headerLength = 0;
    this.#remaining = 0;
    this.#ready = undefined;
  }

  /** Feeds the next bytes the backend sent. */
  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#remaining === 0) {
        // Reading a header: type byte and int32 length.
        const take = Math.min(5 - this.#headerLength, chunk.length - i);
        this.#header.set(chunk.subarray(i, i + take), this.#headerLength);
        this.#headerLength += take;
        i += take;
        if (this.#headerLength < 5) return;
        this.#headerLength = 0;
        this.#type = this.#header[0]!;
        this.#remaining = Math.max(0, this.#header.readInt32BE(1) - 4);
        if (!ASYNCHRONOUS.has(this.#type)) this.#ready = undefined;
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - i);
      if (this.#type === READY_FOR_QUERY && this.#remaining === 1) {
        const status = String.fromCharCode(chunk[i]!);
        this.#ready = status === 'T' || status === 'E' ? status : 'I';
      }
      this.#remaining -= take;
      i += take;
    }
  }
}
