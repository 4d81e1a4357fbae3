import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
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

describe('the validation status in the model of a spec', () => {
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const { model } = modelFromOpenApi('spec-errors.yaml', fixtures);

  it('is 422 for the operations declaring 422 without 400, and absent (400) for the rest', () => {
    expect(model.serving?.invalid).toEqual({ createNote: 422, createScript: 422 });
    const notes = model.resources.find((r) => r.name === 'Note');
    expect(notes?.served?.answers.create?.invalid).toBe(422);
    expect(notes?.served?.answers.read?.invalid).toBeUndefined();
    const labels = model.resources.find((r) => r.name === 'Label');
    expect(labels?.served?.answers.create?.invalid).toBeUndefined();
  });
});
