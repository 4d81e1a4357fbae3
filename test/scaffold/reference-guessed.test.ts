import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const dir = mkdtempSync(join(tmpdir(), 'tenon-reference-guessed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A spec with a `Comment.projectId` beside a `Project` resource; `extra` goes on projectId's schema. */
function spec(extra: string): string {
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /projects:
    post:
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Project" } } } }
      responses: { "201": { description: made, content: { application/json: { schema: { $ref: "#/components/schemas/Project" } } } } }
  /projects/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
    get:
      responses: { "200": { description: one, content: { application/json: { schema: { $ref: "#/components/schemas/Project" } } } } }
  /comments:
    post:
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Comment" } } } }
      responses: { "201": { description: made, content: { application/json: { schema: { $ref: "#/components/schemas/Comment" } } } } }
components:
  schemas:
    Project:
      type: object
      properties: { id: { type: integer, readOnly: true }, name: { type: string } }
    Comment:
      type: object
      properties:
        id: { type: integer, readOnly: true }
        projectId: { type: integer${extra} }
`,
  );
  return file;
}

/** A foreign key read from a property's name is tenon's guess: reported, and `x-tenon-ref: false` declines it. */
describe('modelFromOpenApi: references read from names', () => {
  it('links Comment.projectId to Project and reports it as a guess', () => {
    const { model, warnings } = modelFromOpenApi(spec(''), dir);
    const comment = model.resources.find((r) => r.name === 'Comment')!;
    expect(comment.fields.find((f) => f.name === 'projectId')!.ref).toBe('Project');
    const note = warnings.find((w) => w.code === 'reference-guessed');
    expect(note?.message).toMatch(/^Comment: projectId → Project is a foreign key read from the name/);
    expect(note?.hint).toMatch(/x-tenon-ref: false/);
  });

  it('keeps a plain column under x-tenon-ref: false, and reports nothing', () => {
    const { model, warnings } = modelFromOpenApi(spec(', x-tenon-ref: false'), dir);
    const comment = model.resources.find((r) => r.name === 'Comment')!;
    expect(comment.fields.find((f) => f.name === 'projectId')!.ref).toBeUndefined();
    expect(warnings.filter((w) => w.code === 'reference-guessed')).toEqual([]);
  });

  it('does not call a reference the spec names a guess', () => {
    const { warnings } = modelFromOpenApi(spec(', x-tenon-ref: Project'), dir);
    expect(warnings.filter((w) => w.code === 'reference-guessed')).toEqual([]);
  });
});
