import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-owned-refs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The generated suites prove the behaviour (access.test.ts, run by the e2e matrix on the blog
// fixture); these check that generation wires the checks to the right references only.
describe('references to owned resources', () => {
  it.each(['fastify', 'express'] as const)(
    'are checked against the caller’s scope (%s)',
    async (framework) => {
      const dir = join(work, framework);
      await generateProject({
        mode: 'new',
        dir,
        resources:
          'Post[owned](title:string), Comment[owned](post:ref(Post), body:text), Tag(name:string), Note(post:ref(Post)?, tag:ref(Tag)?)',
        framework,
        cwd: work,
      });
      const read = (path: string) => readFileSync(join(dir, path), 'utf8');
      const comment = read('src/generated/resources/comment.repository.ts');
      expect(comment).toContain("constraint: 'comments_post_id_fkey'");
      expect(comment).toMatch(/insert into comments \(.*\) select .* where \$\{conditions\.join/);
      // A public resource referring to an owned one is checked too; its reference to a public one is not.
      const note = read('src/generated/resources/note.repository.ts');
      expect(note).toContain("constraint: 'notes_post_id_fkey'");
      expect(note).not.toContain('notes_tag_id_fkey');
      expect(read('src/generated/resources/post.repository.ts')).not.toContain('refChecks');
      // Embedded rows are read through the caller's scope.
      expect(comment).toContain('repository.getMany(ids, scope)');
      const access = read('test/generated/access.test.ts');
      expect(access).toContain('Comment.postId → Post: references stay within the caller’s rows (BOLA)');
      expect(access).not.toContain('Note.postId → Post');
    },
  );
});
