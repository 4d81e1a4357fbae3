import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import { buildRequest, parseHeaderLines } from '../../src/load/http-request.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('buildRequest', () => {
  it('builds the exact bytes once: request line, Host, headers, body with its length', () => {
    const t = buildRequest(
      {
        url: 'http://127.0.0.1:3000/api/v1/orders?limit=5',
        method: 'post',
        headers: { Authorization: 'Bearer x' },
        body: '{"a":1}',
      },
      'tenon/0.1.0',
    );
    expect(text(t.request)).toBe(
      'POST /api/v1/orders?limit=5 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAuthorization: Bearer x\r\nUser-Agent: tenon/0.1.0\r\nContent-Length: 7\r\nContent-Type: application/json\r\n\r\n{"a":1}',
    );
    expect(t).toMatchObject({ host: '127.0.0.1', port: 3000, head: false });
  });

  it('keeps headers the user set, defaults the port to 80, knows HEAD and IPv6 hosts', () => {
    const t = buildRequest(
      { url: 'http://[::1]/x', method: 'HEAD', headers: { host: 'example.test', 'User-Agent': 'me' } },
      'tenon',
    );
    expect(text(t.request)).toBe('HEAD /x HTTP/1.1\r\nhost: example.test\r\nUser-Agent: me\r\n\r\n');
    expect(t).toMatchObject({ host: '::1', port: 80, head: true });
  });

  it.each([
    [{ url: 'https://a/', method: 'GET' }, 'TENON_LOAD_URL_INVALID'],
    [{ url: 'not a url', method: 'GET' }, 'TENON_LOAD_URL_INVALID'],
    [{ url: 'http://a/', method: 'GE T' }, 'TENON_LOAD_REQUEST_INVALID'],
    [{ url: 'http://a/', method: 'GET', headers: { 'X-A': 'b\r\nEvil: 1' } }, 'TENON_LOAD_REQUEST_INVALID'],
  ])('rejects %j', (spec, code) => {
    try {
      buildRequest({ headers: {}, ...spec }, 'tenon');
      expect.unreachable();
    } catch (error) {
      expect(isTenonError(error, code as 'TENON_LOAD_URL_INVALID')).toBe(true);
    }
  });

  it('parses -H lines', () => {
    expect(parseHeaderLines(['Authorization: Bearer a:b', 'X-Empty:'])).toEqual({
      Authorization: 'Bearer a:b',
      'X-Empty': '',
    });
    expect(() => parseHeaderLines(['nocolon'])).toThrow(/Name: value/);
  });
});
