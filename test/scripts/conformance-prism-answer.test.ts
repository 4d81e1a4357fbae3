import { describe, expect, it } from 'vitest';
import { byPrism, refusedByPrism } from '../../scripts/conformance/prism-answer.js';

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

  it('a refusal in prism’s problem+json without the app’s request id was never forwarded', () => {
    const prism = { type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY', status: 422 };
    expect(refusedByPrism({ status: 422, fromApp: false, body: prism })).toBe(true);
    // The app's own refusal carries its request id, or its own error body.
    expect(refusedByPrism({ status: 422, fromApp: true, body: prism })).toBe(false);
    expect(refusedByPrism({ status: 400, fromApp: false, body: { message: 'bad' } })).toBe(false);
    // A success is a mock or the app's answer, never a refusal.
    expect(refusedByPrism({ status: 200, fromApp: false, body: prism })).toBe(false);
  });
});
