import { type ErrorCode, TenonError } from '../core/errors.js';
import type { ModelWarning } from './api-model.js';
import { child, isObject, type JsonObject, type SpecFiles } from './openapi-loader.js';
import { uncheckedFormats } from './unchecked-formats.js';

/** One problem of a spec that keeps it from generating: code, where, what, and what to do. */
export interface SpecIssue {
  code: ErrorCode;
  /** JSON pointer in the spec (`''` when the problem has no single place). */
  pointer: string;
  message: string;
  hint?: string;
}

/** The issue a generation error describes. */
export function specIssue(error: TenonError): SpecIssue {
  const fromDetails = error.details.pointer ?? error.details.at;
  // Messages start with `file#/pointer: `; the pointer is taken from there when details lack it.
  const fromMessage = /^\S*#(\/\S*):/.exec(error.message)?.[1];
  const pointer = typeof fromDetails === 'string' ? fromDetails.replace(/^[^#]*#/, '') : (fromMessage ?? '');
  return { code: error.code, pointer, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

/**
 * One error for every problem found in one run, so that a spec is fixed in
 * one pass instead of one run per problem. Its code is the problems' own
 * when they share one, else `TENON_SCAFFOLD_SPEC_INVALID`; `details.problems`
 * lists them all.
 */
export function specIssues(files: SpecFiles, all: SpecIssue[]): TenonError {
  // The document check and the model builder may both see one mistake: it is reported once.
  const seen = new Set<string>();
  const issues = all.filter((i) => {
    const key = i.pointer || i.message;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (issues.length === 1) {
    const [only] = issues;
    return new TenonError(only!.code, only!.message, {
      ...(only!.hint ? { hint: only!.hint } : {}),
      details: { pointer: only!.pointer, problems: issues },
    });
  }
  const codes = new Set(issues.map((i) => i.code));
  const code = codes.size === 1 ? issues[0]!.code : 'TENON_SCAFFOLD_SPEC_INVALID';
  const lines = issues.map((i) => `  ${i.code} ${i.message}${i.hint ? `\n    hint: ${i.hint}` : ''}`);
  return new TenonError(
    code,
    `${files.where({ file: files.rootFile, pointer: '' })}: ${issues.length} problems keep the spec from generating:\n${lines.join('\n')}`,
    {
      hint: 'Fix each problem at its JSON pointer; the hint under each says how.',
      details: { problems: issues },
    },
  );
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/**
 * Warnings for what a spec describes but a generated server does not serve:
 * webhooks (3.1, requests the API sends), callbacks of operations, and formats
 * the generated validation does not check ({@link uncheckedFormats}).
 */
export function notGenerated(files: SpecFiles, root: JsonObject): ModelWarning[] {
  const warnings: ModelWarning[] = [];
  const webhooks = root.webhooks;
  if (isObject(webhooks)) {
    for (const [name, item] of Object.entries(webhooks)) {
      const methods = isObject(item) ? METHODS.filter((m) => isObject(item[m])) : [];
      warnings.push({
        at: files.where({ file: files.rootFile, pointer: child('/webhooks', name) }),
        code: 'webhook-not-generated',
        message: `the webhook "${name}" (${methods.map((m) => m.toUpperCase()).join(', ') || 'no operation'}) is a request your API sends; it is not generated.`,
        hint: 'Send it from your own code (a service hook); its schema is in /openapi.json.',
      });
    }
  }
  const paths = isObject(root.paths) ? root.paths : {};
  for (const [path, raw] of Object.entries(paths)) {
    const item = files.deref({ node: raw, file: files.rootFile, pointer: child('/paths', path) });
    if (!isObject(item.node)) continue;
    for (const method of METHODS) {
      const op = item.node[method];
      if (!isObject(op) || !isObject(op.callbacks)) continue;
      for (const name of Object.keys(op.callbacks))
        warnings.push({
          at: files.where({ file: item.file, pointer: child(item.pointer, method, 'callbacks', name) }),
          code: 'callback-not-generated',
          message: `the callback "${name}" of ${method.toUpperCase()} ${path} is a request your API sends; it is not generated.`,
          hint: 'Send it from the operation’s handler or service hook.',
        });
    }
  }
  warnings.push(...uncheckedFormats(files, root));
  return warnings;
}
