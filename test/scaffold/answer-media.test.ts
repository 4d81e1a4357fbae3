import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { mediaView } from '../../src/scaffold/media-view.js';
import { operationView } from '../../src/scaffold/operation-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-answer-media-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('answers in the media types the spec declares (generation)', () => {
  const { model } = modelFromOpenApi('crud-media.yaml', fixtures);
  const op = (id: string) => operationView(model.operations.find((o) => o.operationId === id)!);

  it('an operation of its own: every declared type chosen by Accept, its handler typed to return the data or its own text', () => {
    const summary = op('petSummary');
    expect(summary.answerMedia).toEqual({
      answer: ['application/json', 'application/xml', 'text/plain'],
      answerXml: {
        type: 'object',
        name: 'summary',
        properties: { pets: { type: 'integer', attribute: true }, note: { type: 'string' } },
      },
      answerRaw: ['text/plain'],
    });
    expect(summary.answerTypeTs).toBe('"application/json" | "application/xml" | "text/plain"');
    expect(summary.outputTs).toMatch(/^\{[\s\S]*pets: number;[\s\S]*\} \| Buffer \| string$/);
  });

  it('an operation answering bytes only: strict (406 when Accept refuses them), its handler returns Buffer | string', () => {
    const exported = op('exportPets');
    expect(exported.answerMedia).toEqual({
      answer: ['application/octet-stream'],
      answerStrict: true,
      answerRaw: ['application/octet-stream'],
    });
    expect(exported.outputTs).toBe('Buffer | string');
  });

  it('a CRUD list declared as text/csv too: CSV columns from the items the spec declares', () => {
    const pets = mediaView(model.resources.find((r) => r.name === 'Pet')!);
    expect(pets.ops.list).toMatchObject({
      answer: ['application/json', 'application/xml', 'text/csv'],
      answerCsv: ['id', 'name', 'age', 'vaccinated', 'photoUrls', 'category'],
    });
  });

  it('a DELETE answering an object only in XML: the removed object, in XML, JSON added when asked', () => {
    const badge = model.resources.find((r) => r.name === 'Badge')!;
    expect(badge.served?.answers.delete?.removed?.map((p) => p.name)).toEqual(['id', 'label', 'deleted']);
    expect(mediaView(badge).ops.delete).toMatchObject({
      answer: ['application/xml', 'application/json'],
      answerStrict: true,
      answerXml: { name: 'removed' },
    });
  });

  it('a CRUD answer in a type rows cannot give (image/png): not served, and the report says so', () => {
    const spec = join(work, 'photos.yaml');
    writeFileSync(
      spec,
      `openapi: 3.0.3
info: { title: photos, version: 1.0.0 }
paths:
  /photos/{id}:
    get:
      operationId: getPhoto
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        "200":
          description: the photo
          content:
            application/json: { schema: { $ref: "#/components/schemas/Photo" } }
            image/png: { schema: { type: string, format: binary } }
components:
  schemas:
    Photo:
      type: object
      properties:
        id: { type: integer, readOnly: true }
        title: { type: string }
`,
    );
    const { model: photos, warnings } = modelFromOpenApi(spec, work);
    const photo = photos.resources.find((r) => r.name === 'Photo')!;
    expect(photo.served?.answers.read).toMatchObject({ envelope: false, notServed: ['image/png'] });
    expect(mediaView(photo).ops.read).toBeUndefined();
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/Photo read: .*image\/png.* not served/),
    );
  });
});
