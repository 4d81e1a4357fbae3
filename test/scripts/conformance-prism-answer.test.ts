import { describe, expect, it } from 'vitest';
import { byPrism } from '../../scripts/conformance/exercise.js';

describe('answers prism writes itself', () => {
  it('are told from the app’s by their problem type', () => {
    expect(byPrism({ type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY', status: 422 })).toBe(
      true,
    );
    expect(byPrism({ type: 'about:blank', status: 422 })).toBe(false);
    expect(byPrism({ success: false, error: { code: 'VALIDATION_FAILED' } })).toBe(false);
    expect(byPrism('<pet/>')).toBe(false);
    expect(byPrism(undefined)).toBe(false);
  });
});
