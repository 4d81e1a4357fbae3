import { describe, expect, it } from 'vitest';
import { specTakesLogin, tokenOf } from '../../scripts/conformance/sign-in.js';
import type { SpecOperation } from '../../scripts/conformance/spec-reader.js';

const op = (method: SpecOperation['method'], path: string) => ({ method, path }) as SpecOperation;

describe('the oracle signs in where tenon’s login is not served', () => {
  it('knows a spec that declares POST /api/v1/auth/login itself, at its base path or over a parameter', () => {
    expect(specTakesLogin({ basePath: '', operations: [op('post', '/api/v1/auth/login')] })).toBe(true);
    expect(specTakesLogin({ basePath: '/api/v1', operations: [op('post', '/auth/login')] })).toBe(true);
    expect(specTakesLogin({ basePath: '', operations: [op('post', '/api/v1/auth/{action}')] })).toBe(true);
  });

  it('leaves tenon’s login to sign in through when the spec does not take it', () => {
    expect(specTakesLogin({ basePath: '', operations: [op('get', '/api/v1/auth/login')] })).toBe(false);
    expect(specTakesLogin({ basePath: '', operations: [op('post', '/api/v1/auth/me')] })).toBe(false);
    expect(specTakesLogin({ basePath: '', operations: [op('post', '/login')] })).toBe(false);
    expect(specTakesLogin({ basePath: '/v2', operations: [op('post', '/api/v1/auth/login')] })).toBe(false);
  });

  it('reads the token the sign-in script printed, and says so when there is none', () => {
    expect(tokenOf('a warning\ntoken=aa.bb.cc\n')).toBe('aa.bb.cc');
    expect(() => tokenOf('Error: The email address or password is not correct.')).toThrow(/printed no token/);
  });
});
