import { describe, expect, it } from 'vitest';
import { CapturedResponse } from '../../../src/load/scenario/captured-response.js';

const raw = (text: string) => Buffer.from(text, 'latin1');

describe('CapturedResponse', () => {
  it('decodes headers (lower case, repeats joined) and a Content-Length body', () => {
    const r = new CapturedResponse(
      201,
      raw(
        'HTTP/1.1 201 Created\r\nLocation: /items/7\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 8\r\n\r\n{"id":7}',
      ),
    );
    expect(r.headers).toEqual({ location: '/items/7', 'set-cookie': 'a=1, b=2', 'content-length': '8' });
    expect(r.json).toEqual({ id: 7 });
  });

  it('skips interim responses and decodes a chunked body with extensions and trailers', () => {
    const r = new CapturedResponse(
      200,
      raw(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\n{"a":\r\n3\r\n"b"\r\n1\r\n}\r\n0\r\nTrailer: 1\r\n\r\n',
      ),
    );
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.text).toBe('{"a":"b"}');
  });

  it('gives undefined JSON for a body that is not JSON', () => {
    expect(
      new CapturedResponse(200, raw('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi')).json,
    ).toBeUndefined();
  });
});
