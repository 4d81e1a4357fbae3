import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { TenonError } from '../core/errors.js';

/** The web frameworks a project can be generated for. */
export type Framework = 'fastify' | 'express';

/** One template file and the layer it comes from. */
export interface TemplateSource {
  /** Path inside its layer, with `/` separators (`src/app.ts.eta`). */
  path: string;
  absolute: string;
  layer: 'common' | Framework | 'override';
}

/** Who owns a written file. */
export type FilePolicy = 'generated' | 'once' | 'migration';

/** A file of the generated project, rendered but not yet written. */
export interface RenderedFile {
  /** Project-relative path with `/` separators. */
  path: string;
  content: string;
  policy: FilePolicy;
  /** The template it came from (`fastify/src/app.ts`), for reports and errors. */
  template: string;
}

/** The `templates/` folder shipped with tenon (next to `src/` and `dist/`). */
export function templatesDir(): string {
  return fileURLToPath(new URL('../../templates', import.meta.url));
}

function walk(dir: string, root = dir, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, root, out);
    else out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/**
 * The templates of a framework: `common/`, then `<framework>/` (a file with
 * the same path replaces the common one), then the user's `--templates`
 * folder (same relative paths; replaces or adds files).
 */
export function collectTemplates(framework: Framework, overrideDir?: string): TemplateSource[] {
  const root = templatesDir();
  const byPath = new Map<string, TemplateSource>();
  const layers: [TemplateSource['layer'], string][] = [
    ['common', join(root, 'common')],
    [framework, join(root, framework)],
  ];
  if (overrideDir) {
    if (!existsSync(overrideDir) || !statSync(overrideDir).isDirectory()) {
      throw new TenonError(
        'TENON_SCAFFOLD_TEMPLATE_FAILED',
        `--templates ${overrideDir} is not a directory.`,
        {
          hint: 'Point --templates at a folder laid out like tenon’s templates/common (e.g. DIR/src/app.ts.eta).',
        },
      );
    }
    layers.push(['override', overrideDir]);
  }
  for (const [layer, dir] of layers) {
    if (!existsSync(dir)) continue;
    for (const path of walk(dir)) byPath.set(path, { path, absolute: join(dir, path), layer });
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** True for templates of files the user owns after the first generation (`*.once` / `*.once.eta`). */
export function isOnceTemplate(path: string): boolean {
  return /\.once(\.eta)?$/.test(path);
}

/**
 * The output path of a template: `.eta` and `.once` suffixes dropped,
 * `_name` segments become dotfiles (`_gitignore` → `.gitignore`,
 * `_github` → `.github`), `__resource__` / `__operation__` replaced.
 */
export function outputPath(path: string, vars: { resource?: string; operation?: string } = {}): string {
  return path
    .replace(/\.eta$/, '')
    .replace(/\.once$/, '')
    .split('/')
    .map((segment) => (/^_[a-z]/.test(segment) ? `.${segment.slice(1)}` : segment))
    .join('/')
    .replace(/__resource__/g, vars.resource ?? '__resource__')
    .replace(/__operation__/g, vars.operation ?? '__operation__');
}

const eta = new Eta({ autoEscape: false, autoTrim: false, useWith: false, varName: 'it', cache: false });

/**
 * A line holding only logic (`<% if (x) { %>`) leaves no trace in the output
 * (neither its indentation nor its newline); every other line, including one
 * that ends in an interpolation, keeps its newline. So YAML and TypeScript
 * templates read like the files they produce.
 */
export function trimLogicLines(text: string): string {
  return text.replace(/^[ \t]*(<%(?![=~])[^\n]*?)%>[ \t]*$/gm, (_line, tag: string) => `${tag}-%>`);
}

/** Renders one template (`*.eta`) or returns its text verbatim. */
export function renderTemplate(source: TemplateSource, data: object): string {
  const text = readFileSync(source.absolute, 'utf8');
  if (!source.path.endsWith('.eta')) return text;
  try {
    return tidy(eta.renderString(trimLogicLines(text), data));
  } catch (cause) {
    throw new TenonError(
      'TENON_SCAFFOLD_TEMPLATE_FAILED',
      `Template ${source.layer}/${source.path} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
        hint:
          source.layer === 'override'
            ? 'Fix the template in your --templates folder.'
            : 'This is a bug in tenon.',
      },
    );
  }
}

/** Collapses the blank lines template logic leaves behind, and ends the file with one newline. */
function tidy(text: string): string {
  const out = text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '');
  return out.trim() === '' ? '' : `${out.replace(/\n+$/, '')}\n`;
}
