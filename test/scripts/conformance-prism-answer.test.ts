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
    // The app's own refusal carries its request id, whatever its body.
    expect(refusedByPrism({ status: 422, fromApp: true, body: prism })).toBe(false);
    expect(
      refusedByPrism({ status: 400, fromApp: true, body: { error: { code: 400, message: 'bad' } } }),
    ).toBe(false);
    // A success is a mock or the app's answer, never a refusal.
    expect(refusedByPrism({ status: 200, fromApp: false, body: prism })).toBe(false);
    // Prism's 502 (the app did not answer) is no refusal of prism's: it stays a failure of the app.
    expect(refusedByPrism({ status: 502, fromApp: false, body: prism })).toBe(false);
  });

  it('the spec’s own 4xx example, written by prism for a body it judged invalid, is prism’s too', () => {
    // Prism ignores `discriminator` and answers such a body with the spec's 400 example (ory
    // kratos's errorGeneric): the shape of the spec's errors, but without the app's request id.
    const example = {
      error: { code: 400, status: 'Bad Request', reason: 'The request was malformed', message: 'bad' },
    };
    expect(refusedByPrism({ status: 400, fromApp: false, body: example })).toBe(true);
    expect(byPrism(example)).toBe(false);
  });
});
