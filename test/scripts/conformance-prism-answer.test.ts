import { describe, expect, it } from 'vitest';
import { byPrism } from '../../scripts/conformance/prism-answer.js';

describe('answers prism writes itself', () => {
  it('are told from the app’s by their problem type', () => {
    expect(byPrism({ type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY', status: 422 })).toBe(
      true,
    );
    expect(byPrism({ type: 'about:blank', status: 422 })).toBe(false);
    expect(byPrism({ success: false, error: { code: 'VALIDATION_FAILED' } })).toBe(false);
    expect(byPrism('<pet/>')).toBe(false);
    // The spec's bodiless 422, mocked by prism for a body it finds invalid: the app never refuses without a body.
    expect(byPrism(undefined)).toBe(true);
    expect(byPrism('')).toBe(true);
  });
});
