import type { ScenarioResponse } from './scenario-schema.js';

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Decodes a chunked body that is known to be complete (the framing parser has checked it). */
function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let p = 0;
  while (p < data.length) {
    const eol = data.indexOf('\r\n', p, 'latin1');
    if (eol === -1) break;
    const size = Number.parseInt(data.toString('latin1', p, eol).split(';')[0]!.trim(), 16);
    if (!(size > 0)) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    p = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * A response as extraction and checks see it, decoded from its raw bytes
 * only when asked: a step without extraction or checks on headers or body
 * costs no decoding.
 */
export class CapturedResponse implements ScenarioResponse {
  #headers: Record<string, string> | undefined;
  #body: Buffer | undefined;
  #text: string | undefined;
  #json: unknown;
  #jsonParsed = false;

  constructor(
    readonly status: number,
    readonly raw: Buffer,
  ) {}

  get headers(): Readonly<Record<string, string>> {
    if (this.#headers === undefined) this.#decode();
    return this.#headers!;
  }

  get text(): string {
    if (this.#text === undefined) {
      if (this.#body === undefined) this.#decode();
      this.#text = this.#body!.toString('utf8');
    }
    return this.#text;
  }

  get json(): unknown {
    if (!this.#jsonParsed) {
      this.#jsonParsed = true;
      try {
        this.#json = JSON.parse(this.text);
      } catch {
        this.#json = undefined;
      }
    }
    return this.#json;
  }

  #decode(): void {
    let p = 0;
    // Skip interim (1xx) responses: the final one is the last head.
    for (;;) {
      while (this.raw[p] === 13 || this.raw[p] === 10) p++;
      const end = this.raw.indexOf(CRLFCRLF, p);
      const head = this.raw.toString('latin1', p, end === -1 ? this.raw.length : end);
      const lines = head.split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      p = end === -1 ? this.raw.length : end + 4;
      if (status >= 200 || end === -1) {
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
        this.#headers = headers;
        break;
      }
    }
    const body = this.raw.subarray(p);
    this.#body = /\bchunked\b/i.test(this.#headers['transfer-encoding'] ?? '') ? dechunk(body) : body;
  }
}
