import { describe, expect, it } from 'vitest';
import { validationStatus } from '../../src/scaffold/validation-status.js';

describe('validationStatus', () => {
  it('is 400 when the operation declares 400, even beside 422', () => {
    expect(validationStatus(['200', '400', '422'])).toBe(400);
    expect(validationStatus(['400'])).toBe(400);
  });

  it('is 422 when the operation declares 422 and no 400 (RealWorld: 401 and 422)', () => {
    expect(validationStatus(['200', '401', '422'])).toBe(422);
    expect(validationStatus(['422', '4XX', 'default'])).toBe(422);
  });

  it('is 400 when neither is declared, also with only 4XX or default', () => {
    expect(validationStatus(['200'])).toBe(400);
    expect(validationStatus(['201', '4XX'])).toBe(400);
    expect(validationStatus(['default'])).toBe(400);
    expect(validationStatus([])).toBe(400);
  });
});
