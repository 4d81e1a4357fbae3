import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentHash, type Manifest } from './manifest.js';
import type { FilePolicy, RenderedFile } from './render.js';

/**
 * What happens to one file:
 * - `create`: new file;
 * - `update`: tenon's previous version, unedited, replaced by the new one;
 * - `unchanged`: already exactly this content;
 * - `conflict`: the user edited a generated file (or a file tenon never wrote is in the way):
 *   it stays as it is and the new version is written beside it as `<path>.tenon-new`;
 * - `skip`: a user-owned file (created once) that exists;
 * - `delete`: a generated file that is no longer generated and was not edited;
 * - `orphan`: no longer generated, but edited or user-owned, so kept.
 */
export type FileAction = 'create' | 'update' | 'unchanged' | 'conflict' | 'skip' | 'delete' | 'orphan';

/** One line of the write plan. */
export interface PlannedFile {
  path: string;
  action: FileAction;
  policy: FilePolicy;
  /** For conflicts: where the new version goes. */
  newVersionPath?: string;
  /** Why, in a few words, for the report. */
  reason: string;
}

/** The plan with the contents it would write. */
export interface WritePlan {
  files: PlannedFile[];
  contents: Map<string, string>;
  /** Hashes to record in the next manifest. */
  hashes: Manifest['files'];
}

function diskHash(dir: string, path: string): string | undefined {
  const full = join(dir, path);
  return existsSync(full) ? contentHash(readFileSync(full)) : undefined;
}

/**
 * Decides, file by file, what generating `files` into `dir` does, given the
 * previous manifest. Never plans to overwrite a file whose content tenon did
 * not write itself.
 */
export function planWrites(
  dir: string,
  files: readonly RenderedFile[],
  previous: Manifest | undefined,
): WritePlan {
  const plan: PlannedFile[] = [];
  const contents = new Map<string, string>();
  const hashes: Manifest['files'] = {};
  const rendered = new Set(files.map((f) => f.path));
  for (const file of files) {
    const hash = contentHash(file.content);
    const onDisk = diskHash(dir, file.path);
    const known = previous?.files[file.path];
    hashes[file.path] = { hash, policy: file.policy };
    if (onDisk === undefined) {
      plan.push({
        path: file.path,
        action: 'create',
        policy: file.policy,
        reason: known ? 'was deleted; written again' : 'new',
      });
      contents.set(file.path, file.content);
    } else if (file.policy !== 'generated') {
      plan.push({
        path: file.path,
        action: 'skip',
        policy: file.policy,
        reason: file.policy === 'migration' ? 'migrations are never rewritten' : 'yours (created once)',
      });
      // Keep what was recorded when tenon created it.
      hashes[file.path] = known ?? { hash: onDisk, policy: file.policy };
    } else if (onDisk === hash) {
      plan.push({ path: file.path, action: 'unchanged', policy: file.policy, reason: 'up to date' });
    } else if (known && known.hash === onDisk) {
      plan.push({ path: file.path, action: 'update', policy: file.policy, reason: 'regenerated' });
      contents.set(file.path, file.content);
    } else {
      const newVersionPath = `${file.path}.tenon-new`;
      plan.push({
        path: file.path,
        action: 'conflict',
        policy: file.policy,
        newVersionPath,
        reason: known
          ? 'edited by you; new version beside it'
          : 'not written by tenon; new version beside it',
      });
      contents.set(newVersionPath, file.content);
    }
  }
  for (const [path, entry] of Object.entries(previous?.files ?? {})) {
    if (rendered.has(path)) continue;
    const onDisk = diskHash(dir, path);
    if (onDisk === undefined) continue;
    if (entry.policy === 'migration') {
      hashes[path] = entry;
      plan.push({ path, action: 'skip', policy: entry.policy, reason: 'migrations are never rewritten' });
    } else if (entry.policy === 'generated' && onDisk === entry.hash) {
      plan.push({ path, action: 'delete', policy: entry.policy, reason: 'no longer generated' });
    } else {
      plan.push({
        path,
        action: 'orphan',
        policy: entry.policy,
        reason:
          entry.policy === 'once'
            ? 'yours, but its resource or operation is gone: delete it when done'
            : 'no longer generated, but edited: kept',
      });
    }
  }
  plan.sort((a, b) => a.path.localeCompare(b.path));
  return { files: plan, contents, hashes };
}

/** Writes the plan: creates, updates, `.tenon-new` files and deletions. */
export function applyPlan(dir: string, plan: WritePlan): void {
  for (const [path, content] of plan.contents) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  for (const file of plan.files) {
    if (file.action === 'delete') rmSync(join(dir, file.path));
    // A stale .tenon-new from an earlier conflict that is now resolved would mislead.
    if (file.action === 'update' || file.action === 'unchanged')
      rmSync(join(dir, `${file.path}.tenon-new`), { force: true });
  }
}
