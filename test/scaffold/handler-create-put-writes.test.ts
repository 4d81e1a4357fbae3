import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * overseerr's discover sliders: `POST /settings/discover` takes a list (a handler of its own), so the
 * PUT is the only CRUD write. The answers require `enabled`, which no body gives: the column was
 * NOT NULL without a default, and every row the repository made (the generated tests' fixtures)
 * failed with a not-null violation — 6 access tests of overseerr's project in each framework.
 */
describe('a POST create that is a handler leaves the PUT as the only write', () => {
  it('gives what the answers require and the PUT body lacks a default, as for a PUT-only resource', () => {
    const { model, warnings } = modelFromOpenApi('handler-create-put-writes.yaml', fixtures);
    const slider = model.resources.find((r) => r.name === 'Slider')!;
    expect(slider.operations).toMatchObject({ create: false, update: true, delete: true, list: true });
    const enabled = slider.fields.find((f) => f.name === 'enabled')!;
    expect(enabled.default).toBe(false);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^Slider\.enabled is required in the answers but not in the PUT body, the only write: the server sets false/,
      ),
    );
  });
});
