import { TenonError } from '../core/errors.js';
import { successJsonSchema } from './openapi-answers.js';
import type { Located, SpecFiles } from './openapi-loader.js';
import { bodySchema, type CrudKind, type Method, type PathGroup } from './openapi-paths.js';
import { normalizeSchema } from './openapi-schema.js';
import { type BodyWrapper, bodyWrapper } from './openapi-wrapper.js';

/** A CRUD operation's request body or success answer that wraps the resource under one key. */
export interface WrappedBody {
  kind: CrudKind;
  method: Method;
  /** `body`: the request body; `answer`: the first 2xx JSON answer. */
  where: 'body' | 'answer';
  loc: Located;
  wrapper: BodyWrapper;
}

/** The request bodies and answers of a resource's CRUD operations that are single-key wrappers (openapi-wrapper.ts). */
export function wrappedBodies(files: SpecFiles, group: PathGroup): WrappedBody[] {
  const found: WrappedBody[] = [];
  for (const op of group.ops) {
    const body =
      op.kind === 'create' || op.kind === 'update' || op.kind === 'patch'
        ? bodySchema(files, op.loc)
        : undefined;
    const answer = successJsonSchema(files, op.loc);
    for (const [where, loc] of [
      ['body', body],
      ['answer', answer],
    ] as const) {
      const wrapper = loc && bodyWrapper(files, loc);
      if (loc && wrapper) found.push({ kind: op.kind, method: op.method, where, loc, wrapper });
    }
  }
  return found;
}

/** Whether a wrapper object requires its key (`required: [article]`). */
function requiresKey(files: SpecFiles, loc: Located, key: string): boolean {
  const required = normalizeSchema(files, loc).schema.required;
  return Array.isArray(required) && required.map(String).includes(key);
}

/**
 * Why one wrapped body cannot be served by the CRUD routes, or undefined when it can: a request
 * body wrapping one object under a required key, a list answer wrapping an array of objects (a
 * page object, list-page.ts), and a create/read/update/patch answer wrapping one object are served.
 */
function unservable(files: SpecFiles, w: WrappedBody, all: readonly WrappedBody[]): string | undefined {
  const { shape, scalarItems, key } = w.wrapper;
  if (w.where === 'body') {
    if (shape !== 'one') return `its ${w.kind} body wraps a list under "${key}", not one row`;
    if (!requiresKey(files, w.loc, key))
      return `its ${w.kind} body does not require "${key}", and the row's fields are under it`;
    return undefined;
  }
  if (w.kind === 'list') {
    if (scalarItems)
      return `its list answers values that are not objects under "${key}" (no table holds them as rows)`;
    return shape === 'list' ? undefined : `its list answers one object under "${key}", not a list`;
  }
  // A DELETE answering the removed row under the key the other answers wrap it in (lago's
  // `{ tax: {…} }`) is served: the route reads the row before removing it and wraps it the same way.
  if (w.kind === 'delete')
    return shape === 'one' && all.some((o) => o.where === 'answer' && o.kind !== 'delete' && sameRow(o, w))
      ? undefined
      : `its DELETE answers an object under "${key}" that no other answer wraps the row in, which the generated route does not write`;
  return shape === 'one' ? undefined : `its ${w.kind} answers a list under "${key}", not one row`;
}

/** Whether two wrapped answers hold the same row: one key, and the same schema under it (by component or by place). */
function sameRow(a: WrappedBody, b: WrappedBody): boolean {
  if (a.wrapper.shape !== 'one' || a.wrapper.key !== b.wrapper.key) return false;
  const [x, y] = [a.wrapper.inner, b.wrapper.inner];
  return x.refName !== undefined ? x.refName === y.refName : x.file === y.file && x.pointer === y.pointer;
}

/**
 * Why a resource with wrapped bodies is served by handlers (spec serving): a wrapper shape the
 * generated CRUD routes cannot read or answer faithfully (unservable above) — a wrong shape is
 * worse than a 501. Undefined when every wrapped body is served (or there is none).
 */
export function wrapperIssue(files: SpecFiles, group: PathGroup): TenonError | undefined {
  let wrapped: WrappedBody[];
  try {
    wrapped = wrappedBodies(files, group);
  } catch (error) {
    // A body no object can describe (karakeep's `allOf` holding a `oneOf`): the group's operations
    // are handlers validating it as declared, not a refused spec.
    if (error instanceof TenonError && error.code === 'TENON_SCAFFOLD_SPEC_UNSUPPORTED') return error;
    throw error;
  }
  const reasons = wrapped.map((w) => ({ w, why: unservable(files, w, wrapped) })).filter((x) => x.why);
  if (reasons.length === 0) return undefined;
  const first = reasons[0]!.w;
  return new TenonError(
    'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
    `${files.where(first.loc)}: "${group.segment}" wraps the resource under a key in a way the generated CRUD routes cannot serve (${[...new Set(reasons.map((x) => x.why))].join('; ')}), so its operations are handlers that answer the spec's own shape.`,
    {
      hint: 'Write each handler in src/operations/ (unwrap the request, wrap the answer under the key), or describe bodies and answers as the item itself.',
      details: { pointer: first.loc.pointer },
    },
  );
}
