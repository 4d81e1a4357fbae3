import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../../src/load/response-parser.js';

interface Parsed {
  status: number;
  keepAlive: boolean;
}

/**
 * Feeds `chunks` to a parser with HEAD flags per response; returns what it reported. With
 * `stale`, each chunk is passed as the start of one reused buffer, as a socket's shared read
 * buffer does, with `stale`'s bytes after it.
 */
function parse(chunks: readonly Buffer[], heads: readonly boolean[] = [], eof = false, stale?: Buffer) {
  const out: Parsed[] = [];
  const parser = new ResponseParser((status, keepAlive) => {
    out.push({ status, keepAlive });
    parser.expect(heads[out.length] ?? false);
  });
  parser.expect(heads[0] ?? false);
  let ok = true;
  const reused = stale ? Buffer.alloc(Math.max(stale.length, ...chunks.map((c) => c.length)) + 64) : null;
  for (const chunk of chunks) {
    if (reused && stale) {
      reused.fill(13);
      stale.copy(reused);
      chunk.copy(reused);
      ok = parser.execute(reused, chunk.length);
    } else {
      ok = parser.execute(chunk);
    }
    if (!ok) break;
  }
  if (ok && eof) ok = parser.finish();
  return { out, ok, error: parser.error, idle: parser.idle };
}

const b = (text: string) => Buffer.from(text, 'latin1');

describe('ResponseParser', () => {
  it('parses a Content-Length response in one chunk', () => {
    const r = parse([b('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello')]);
    expect(r).toMatchObject({ ok: true, idle: true, out: [{ status: 200, keepAlive: true }] });
  });

  it('parses responses split byte by byte', () => {
    const text =
      'HTTP/1.1 201 Created\r\ncontent-length: 3\r\n\r\nabcHTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '3;ext=1\r\nabc\r\n0\r\nX-Trailer: y\r\n\r\n';
    const r = parse([...b(text)].map((byte) => Buffer.from([byte])));
    expect(r.out).toEqual([
      { status: 201, keepAlive: true },
      { status: 404, keepAlive: true },
    ]);
    expect(r.idle).toBe(true);
  });

  it('skips interim 1xx responses', () => {
    const r = parse([
      b(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
      ),
    ]);
    expect(r.out).toEqual([{ status: 200, keepAlive: true }]);
  });

  it('reads no body for HEAD, 204 and 304 even with a Content-Length', () => {
    const text =
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' +
      'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n' +
      'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n';
    const r = parse([b(text)], [true, false, false]);
    expect(r.out.map((x) => x.status)).toEqual([200, 204, 304]);
    expect(r.idle).toBe(true);
  });

  it('honours Connection: close and HTTP/1.0 keep-alive rules', () => {
    expect(parse([b('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')]).out).toEqual([
      { status: 200, keepAlive: false },
    ]);
    expect(parse([b('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')]).out[0]!.keepAlive).toBe(false);
    expect(
      parse([b('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n')]).out[0]!.keepAlive,
    ).toBe(true);
  });

  it('reads a body without framing until the connection closes', () => {
    const r = parse([b('HTTP/1.1 200 OK\r\n\r\nsome'), b(' body')], [], true);
    expect(r).toMatchObject({ ok: true, out: [{ status: 200, keepAlive: false }] });
  });

  it('reports a response cut short at end of file', () => {
    const r = parse([b('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')], [], true);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/closed before/);
  });

  it.each([
    ['garbage', 'garbage\r\n\r\n'],
    ['bad status', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['bad length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n'],
    ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['chunk without CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n'],
    ['header without colon', 'HTTP/1.1 200 OK\r\nNoColon\r\n\r\n'],
    ['101 upgrade', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ])('rejects %s', (_name, text) => {
    const r = parse([b(text)]);
    expect(r.ok).toBe(false);
    expect(r.error).toBeTruthy();
  });

  it('rejects a head larger than 64 KiB without buffering forever', () => {
    const parser = new ResponseParser(() => undefined);
    let ok = parser.execute(b('HTTP/1.1 200 OK\r\n'));
    for (let i = 0; i < 100 && ok; i++) ok = parser.execute(Buffer.alloc(1024, 'a'));
    expect(ok).toBe(false);
  });
});

/** A response the fuzzer generates, with its wire form. */
interface Case {
  wire: string;
  head: boolean;
  expected: Parsed;
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/);
const value = fc.stringMatching(/^[ -~]{0,20}$/).map((v) => v.trim());

const responseArb: fc.Arbitrary<Case> = fc
  .record({
    status: fc.constantFrom(200, 201, 204, 301, 304, 400, 404, 500, 503),
    minor: fc.constantFrom(0, 1),
    head: fc.boolean(),
    framing: fc.constantFrom('length', 'chunked'),
    body: fc.uint8Array({ maxLength: 300 }),
    chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 6 }),
    extras: fc.array(fc.tuple(token, value), { maxLength: 5 }),
    interim: fc.array(fc.constantFrom(100, 102, 103), { maxLength: 2 }),
    upper: fc.boolean(),
    trailer: fc.boolean(),
  })
  .map((r) => {
    const name = (n: string) => (r.upper ? n.toUpperCase() : n);
    const extras = r.extras
      .filter(([k]) => !/^(content-length|transfer-encoding|connection)$/i.test(k))
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const noBody = r.head || r.status === 204 || r.status === 304;
    const bodyText = Buffer.from(r.body).toString('latin1');
    let framing = '';
    let payload = '';
    if (r.framing === 'length') {
      framing = `${name('Content-Length')}: ${bodyText.length}\r\n`;
      payload = noBody ? '' : bodyText;
    } else {
      framing = `${name('Transfer-Encoding')}: chunked\r\n`;
      if (!noBody) {
        let rest = bodyText;
        for (const size of r.chunkSizes) {
          if (!rest) break;
          const part = rest.slice(0, size);
          rest = rest.slice(size);
          payload += `${part.length.toString(16)}${size % 2 ? ';x=y' : ''}\r\n${part}\r\n`;
        }
        if (rest) payload += `${rest.length.toString(16).toUpperCase()}\r\n${rest}\r\n`;
        payload += r.trailer ? '0\r\nX-Sum: 1\r\n\r\n' : '0\r\n\r\n';
      }
    }
    const keepAlive = r.minor === 1;
    const interim = r.interim.map((s) => `HTTP/1.1 ${s} Info\r\n\r\n`).join('');
    const wire = `${interim}HTTP/1.${r.minor} ${r.status} Reason\r\n${extras}${framing}\r\n${payload}`;
    return { wire, head: r.head, expected: { status: r.status, keepAlive } };
  });

/** Splits `data` at the given cut points. */
function split(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b2) => a - b2);
  const parts: Buffer[] = [];
  let last = 0;
  for (const point of points) {
    parts.push(data.subarray(last, point));
    last = point;
  }
  parts.push(data.subarray(last));
  return parts;
}

describe('ResponseParser under fuzzing', () => {
  it('reports every response of a random keep-alive stream, however it is split', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (cases, cuts) => {
          // HTTP/1.0 responses without keep-alive end the connection: keep them last.
          const stream = cases.filter((c) => c.expected.keepAlive);
          const last = cases.find((c) => !c.expected.keepAlive);
          if (last) stream.push(last);
          const wire = Buffer.from(stream.map((c) => c.wire).join(''), 'latin1');
          const r = parse(
            split(wire, cuts),
            stream.map((c) => c.head),
          );
          expect(r.error).toBeUndefined();
          expect(r.out).toEqual(stream.map((c) => c.expected));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads only the given length of a reused buffer, whatever stale bytes follow it', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.nat(),
        (cases, cuts, shift) => {
          const stream = cases.filter((c) => c.expected.keepAlive);
          const last = cases.find((c) => !c.expected.keepAlive);
          if (last) stream.push(last);
          const wire = Buffer.from(stream.map((c) => c.wire).join(''), 'latin1');
          // Stale bytes: the same stream from another offset, so heads and blank lines follow each chunk.
          const stale = Buffer.concat([wire.subarray(shift % wire.length), wire]);
          const r = parse(
            split(wire, cuts),
            stream.map((c) => c.head),
            false,
            stale,
          );
          expect(r.error).toBeUndefined();
          expect(r.out).toEqual(stream.map((c) => c.expected));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on garbage, and either fails cleanly or waits for more', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }),
        fc.boolean(),
        (chunks, prefix) => {
          const parts = chunks.map((c) => Buffer.from(c));
          if (prefix) parts.unshift(Buffer.from('HTTP/1.1 200 OK\r\n'));
          const r = parse(parts, [], true);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.error).toBeTruthy();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('mutated valid streams never throw', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (cases, mutations, cuts) => {
          const wire = Buffer.from(cases.map((c) => c.wire).join(''), 'latin1');
          for (const [at, byte] of mutations) wire[at % wire.length] = byte;
          const r = parse(split(wire, cuts), [], true);
          expect(r.out.length).toBeLessThanOrEqual(cases.length + 10);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
