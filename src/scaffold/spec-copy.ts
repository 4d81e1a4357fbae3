import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Where a project keeps the copy of a spec that lives outside it. */
export const SPEC_COPY_DIR = '.tenon/spec';

/** True when `path` (relative to the project) stays inside the project. */
export function isInsideProject(path: string): boolean {
  return !isAbsolute(path) && path !== '..' && !path.startsWith(`..${sep}`) && !path.startsWith('../');
}

function refsOf(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) refsOf(item, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    // Extensions are not the API; a $ref inside one (to a documentation page) is not followed.
    if (key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') out.push(value);
    else refsOf(value, out);
  }
}

/**
 * The spec file and every local file its relative `$ref`s reach (outside
 * `x-` extensions), absolute paths, the root first. Files that cannot be
 * read are left out: generation reports them itself.
 */
export function specFiles(rootFile: string): string[] {
  const seen = new Set<string>();
  const queue = [resolve(rootFile)];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    let doc: unknown;
    try {
      const text = readFileSync(file, 'utf8');
      doc = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
    } catch {
      continue;
    }
    const refs: string[] = [];
    refsOf(doc, refs);
    for (const ref of refs) {
      const [target] = ref.split('#');
      if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target)) queue.push(resolve(dirname(file), target));
    }
  }
  return [...seen];
}

function commonDir(files: string[]): string {
  let base = dirname(files[0]!);
  for (const file of files) while (relative(base, file).startsWith('..')) base = dirname(base);
  return base;
}

/**
 * Copies a spec that lives outside the project (with the files its `$ref`s
 * reach, in the same layout) into `.tenon/spec/`, replacing the previous
 * copy, so `tenon generate` keeps working when the project is moved or
 * cloned without the spec beside it.
 *
 * @returns the project-relative path of the copied root file.
 */
export function copySpecIntoProject(projectDir: string, rootFile: string): string {
  const files = specFiles(rootFile);
  const base = commonDir(files);
  const target = join(projectDir, SPEC_COPY_DIR);
  // Read everything first: the spec may be the copy itself (regenerating from it).
  const contents = files.map((file) => [relative(base, file), readFileSync(file)] as const);
  rmSync(target, { recursive: true, force: true });
  for (const [path, content] of contents) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
  }
  return join(SPEC_COPY_DIR, relative(base, resolve(rootFile)))
    .split(sep)
    .join('/');
}
