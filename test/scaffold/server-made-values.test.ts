import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { callerFill } from '../../src/scaffold/caller-fill.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { generateProject } from '../../src/scaffold/generate.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-server-made-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const profile = {
  type: 'object',
  required: ['username', 'bio', 'following'],
  properties: {
    username: { type: 'string' },
    bio: { type: 'string' },
    image: { type: 'string', nullable: true },
    following: { type: 'boolean' },
  },
};

/**
 * Values the answers require that no create body gives (issue 11, RealWorld): the maker of a row
 * (`Article.author`) was a NULL left out of answers that require it, a slug key was a uuid (or,
 * with a constant default, a 409 on the second create), and `GET /tags` was a 501 stub although
 * `Article.tagList` holds exactly its values.
 */
describe('callerFill', () => {
  it("fills a row's maker from the caller: its public name, and a value each other required property accepts", () => {
    expect(callerFill('author', profile)).toEqual({
      username: 'handle',
      bio: { sample: '' },
      following: { sample: false },
    });
    expect(
      callerFill('created_by', {
        type: 'object',
        properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' } },
      }),
    ).toEqual({ id: 'id', email: 'email' });
  });

  it('fills nothing that does not name the maker, or that a plain value could break', () => {
    expect(callerFill('reviewer', profile)).toBeUndefined();
    expect(callerFill('author', { type: 'object', properties: { bio: { type: 'string' } } })).toBeUndefined();
    const strict = {
      ...profile,
      properties: { ...profile.properties, bio: { type: 'string', minLength: 1 } },
    };
    expect(callerFill('author', strict)).toBeUndefined();
    const patterned = {
      ...profile,
      properties: { ...profile.properties, username: { type: 'string', pattern: '^[a-z]+$' } },
    };
    expect(callerFill('author', patterned)).toBeUndefined();
  });
});

describe('modelFromOpenApi: values only the server can make', () => {
  const { model, warnings } = modelFromOpenApi('server-made-values.yaml', fixtures);
  const article = model.resources.find((r) => r.name === 'Article')!;
  const field = (name: string) => article.fields.find((f) => f.name === name)!;
  const messages = warnings.map((w) => w.message);

  it('fills the author from the caller and says so; another required profile stays nullable', () => {
    expect(field('author').fromCaller).toEqual({
      username: 'handle',
      bio: { sample: '' },
      following: { sample: false },
    });
    expect(field('reviewer').fromCaller).toBeUndefined();
    expect(messages).toContainEqual(
      expect.stringMatching(/^Article\.author .* filled on create from the caller's account/),
    );
  });

  it('makes the slug from the title the create requires, the uuid text the fallback', () => {
    expect(field('slug').slugFrom).toBe('title');
    expect(field('slug').serverDefault).toBe('uuid');
    expect(messages).toContainEqual(
      expect.stringMatching(/^Article\.slug .* the server makes it from title/),
    );
  });

  it('answers GET /tags with the distinct values of Article.tagList', () => {
    const tags = model.operations.find((o) => o.specPath === '/tags')!;
    expect(tags.distinct).toEqual({ table: 'articles', column: 'tag_list', key: 'tags' });
    expect(messages).toContainEqual(
      expect.stringMatching(/^GET \/tags answers the distinct values of Article\.tagList/),
    );
  });
});

describe('generateProject: the code that makes them', () => {
  it('writes the caller fill, the slug and the tags handler, and leaves GET /tags out of notImplemented', async () => {
    const dir = join(work, 'blog');
    const result = await generateProject({
      mode: 'new',
      dir,
      from: join(fixtures, 'server-made-values.yaml'),
      cwd: work,
    });
    const repository = readFileSync(join(dir, 'src/generated/resources/article.repository.ts'), 'utf8');
    expect(repository).toContain(
      `values.push(['author', JSON.stringify({ "username": caller.handle, "bio": "", "following": false }), '::jsonb']);`,
    );
    expect(repository).toContain('select email from auth_users where id = $1');
    expect(repository).toMatch(/slugOf\(input\.title\)/);
    expect(repository).toContain("randomBytes(4).toString('hex')");
    // A PUT whose body may leave the title out keeps it (a not-null column without a default):
    // setting it to its default was a 422 on RealWorld's `{ article: { title } }`. The tags, which
    // the PUT body cannot send, are kept too (replace-resets.ts); the slug comes from the path.
    const replace = repository.slice(
      repository.indexOf('async replace('),
      repository.indexOf('async update('),
    );
    expect(replace).toMatch(/\[\s*"slug"\s*\]\.filter/);
    expect(replace).not.toContain('"title"');
    expect(replace).not.toContain('"tag_list"');
    const tags = readFileSync(join(dir, 'src/operations/get-tags.ts'), 'utf8');
    expect(tags).toContain('jsonb_array_elements_text(tag_list)');
    expect(tags).toContain('return { "tags": values };');
    expect(tags).not.toContain('notImplemented');
    expect(result.notImplemented.map((o) => o.route)).not.toContain('/tags');
  });
});
