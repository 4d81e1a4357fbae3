import { describe, expect, it } from 'vitest';
import { keeps } from '../../scripts/conformance/shared-install.js';

const base = {
  dependencies: { fastify: '^5.6.0', argon2: '^0.45.1' },
  devDependencies: { typescript: '^5.9.0' },
};

describe('keeps (which finished install may seed a new dependency set)', () => {
  it('a set that adds a package keeps its base', () => {
    const set = { ...base, dependencies: { ...base.dependencies, 'fast-xml-parser': '^5.12.1' } };
    expect(keeps(set, base)).toBe(true);
  });

  it('a set that asks another range, drops a package or overrides differently does not', () => {
    expect(keeps({ ...base, dependencies: { ...base.dependencies, argon2: '^0.44.0' } }, base)).toBe(false);
    expect(keeps({ ...base, dependencies: { fastify: '^5.6.0' } }, base)).toBe(false);
    expect(keeps({ ...base, devDependencies: {} }, base)).toBe(false);
    expect(keeps({ ...base, overrides: { cookie: '^1.0.0' } }, base)).toBe(false);
  });

  it('an Express set does not keep a Fastify one', () => {
    const express = {
      dependencies: { express: '^5.1.0', argon2: '^0.45.1' },
      devDependencies: base.devDependencies,
    };
    expect(keeps(express, base)).toBe(false);
  });
});
