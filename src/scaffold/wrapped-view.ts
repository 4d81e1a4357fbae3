import type { CrudOperations, ResourceModel } from './api-model.js';
import { propertyAccess } from './ts-types.js';

/**
 * Bodies and answers the spec wraps under a key (RealWorld's `{ "article": {…} }`): how the
 * templates read the row's fields out of a request body and write a row into an answer. Lists
 * wrapped under a key (`{ "articles": […], "articlesCount": n }`) are page objects (list-page.ts).
 */

type BodyKind = 'create' | 'update' | 'patch';
type Schema = Record<string, unknown>;

/** The request body schema as the spec declares it: the fields' schema under the key, which it requires. */
export function wrapBodySchema(resource: ResourceModel, kind: BodyKind, fields: Schema): Schema {
  const key = resource.served?.wrapBodies?.[kind];
  if (key === undefined) return fields;
  return { type: 'object', required: [key], properties: { [key]: fields } };
}

/** The template helpers of a resource's wrapped bodies and answers. */
export function wrapView(resource: ResourceModel) {
  const bodies = resource.served?.wrapBodies ?? {};
  const answers = resource.served?.answers ?? {};
  const answerKey = (kind: keyof CrudOperations): string | undefined => answers[kind]?.wrap;
  // The fields a replace or patch body declares, when they are fewer than the create's.
  const declared = (kind: BodyKind): string[] | undefined => {
    const own = resource.served?.bodies?.[kind]?.properties;
    const create = resource.served?.bodies?.create?.properties;
    return own && create?.some((p) => !own.includes(p)) ? own : undefined;
  };
  // A test's body as the spec wraps it (`expr`: a create's fields). A replace body, wrapped or not,
  // that declares fewer fields than the create (RealWorld's UpdateArticle has no tagList,
  // Typesense's AnalyticsRuleUpdate no type) is sent only those it declares; a patch body is built
  // from the PATCH schema already (test-view.ts).
  const send = (kind: BodyKind, expr: string): string => {
    const key = bodies[kind];
    const own = kind === 'update' ? declared(kind) : undefined;
    const fields = own
      ? `Object.fromEntries(Object.entries(${expr}).filter(([k]) => ${JSON.stringify(own)}.includes(k)))`
      : expr;
    if (key === undefined) return fields;
    return `({ ${JSON.stringify(key)}: ${fields} })`;
  };
  return {
    /** The keys of wrapped answers: each gets a response schema (`s.wraps[key]`). */
    answerKeys: [...new Set(Object.values(answers).flatMap((a) => (a?.wrap === undefined ? [] : [a.wrap])))],
    /** The key a body is wrapped under, if any. */
    body: (kind: BodyKind): string | undefined => bodies[kind],
    /** The TypeScript type of a body whose fields are `type`. */
    bodyType: (kind: BodyKind, type: string): string =>
      bodies[kind] === undefined ? type : `{ ${JSON.stringify(bodies[kind])}: ${type} }`,
    /** The row's fields in the body `expr`. */
    fields: (kind: BodyKind, expr: string): string =>
      bodies[kind] === undefined ? expr : `${expr}${propertyAccess(bodies[kind])}`,
    /** The key an answer is wrapped under, if any. */
    answer: answerKey,
    /** The answer `expr` as the spec wraps it. */
    wrap: (kind: keyof CrudOperations, expr: string): string => {
      const key = answerKey(kind);
      return key === undefined ? expr : `{ ${JSON.stringify(key)}: ${expr} }`;
    },
    /** The row in a test's answer `expr` (the answer's body). */
    unwrap: (kind: keyof CrudOperations, expr: string): string => {
      const key = answerKey(kind);
      return key === undefined ? expr : `${expr}${propertyAccess(key)}`;
    },
    /** The response schema of a single-row answer: `fallback` (`s.item`) unless wrapped. */
    schema: (kind: keyof CrudOperations, fallback: string): string => {
      const key = answerKey(kind);
      return key === undefined ? fallback : `s.wraps[${JSON.stringify(key)}]`;
    },
    /** A test's body as the spec wraps it and its PUT declares it (see `send` above). */
    send,
    /** What a test appends to a promise of a body's fields to wrap or narrow it (`.then(…)`; nothing when sent as they are). */
    sendLater: (kind: BodyKind): string =>
      send(kind, 'fields') === 'fields' ? '' : `.then((fields) => ${send(kind, 'fields')})`,
    /** Whether a test compares `name` after a body of `kind` (a field the body cannot send is not). */
    sends: (kind: BodyKind, name: string): boolean => {
      const own = declared(kind);
      return own === undefined || own.includes(name);
    },
    /** The prefix of a body field's name in validation details (`article.`). */
    fieldPrefix: (kind: BodyKind): string => (bodies[kind] === undefined ? '' : `${bodies[kind]}.`),
  };
}
