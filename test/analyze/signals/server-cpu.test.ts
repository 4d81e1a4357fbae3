import { describe, expect, it } from 'vitest';
import { isLocalDatabaseUrl } from '../../../src/analyze/signals/server-cpu.js';

describe('whether --db reaches a server on this machine', () => {
  it('takes loopback addresses and unix sockets as local', () => {
    for (const url of [
      'postgres://app@127.0.0.1:5432/shop',
      'postgres://app@127.1.2.3/shop',
      'postgres://app@localhost/shop',
      'postgres://app@[::1]:5433/shop',
      'postgres://app@/shop?host=/var/run/postgresql',
      'postgresql:///shop',
      'postgres://app@%2Fvar%2Frun%2Fpostgresql/shop',
    ])
      expect(isLocalDatabaseUrl(url), url).toBe(true);
  });

  it('takes other hosts as remote', () => {
    for (const url of [
      'postgres://app@db.internal:5432/shop',
      'postgres://app@10.0.0.5/shop',
      'postgres://app@128.0.0.1/shop',
      'postgres://app@[2001:db8::1]/shop',
      'not a url',
    ])
      expect(isLocalDatabaseUrl(url), url).toBe(false);
  });
});
