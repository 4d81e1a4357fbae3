import { CRUD_METHODS } from './access-policy.js';
import type { ApiModel, ModelWarning, OperationParameter } from './api-model.js';
import type { Credentials } from './openapi-access.js';
import { child, isObject, type JsonObject, type SpecFiles } from './openapi-loader.js';

/** Whether a declared parameter is where a security scheme puts the access token. */
function isCredential(p: OperationParameter, credentials: Credentials): boolean {
  if (p.in === 'query') return credentials.query.includes(p.name);
  if (p.in === 'cookie') return credentials.cookies.includes(p.name);
  if (p.in === 'header') return credentials.headers.includes(p.name.toLowerCase());
  return false;
}

/**
 * Takes out of the operations' parameters those that are the spec's apiKey
 * credentials: a spec may declare `api_key` both as an apiKey scheme and as
 * an operation's (required) query parameter. The generated app reads the
 * token where the scheme says and drops it before validation (so it is
 * never echoed, handed to a handler or logged); were the parameter still
 * validated, a request that carries the token in the query — spec-valid —
 * would answer 400 "api_key is required". Such a parameter is satisfied by
 * the credential: authentication checks it (401 without a valid token), the
 * schema does not. Returns one warning (`parameter-is-credential`) per
 * parameter name, naming the operations, located at the security scheme.
 */
export function satisfyCredentialParameters(
  model: ApiModel,
  credentials: Credentials,
  files: SpecFiles,
  root: JsonObject,
): ModelWarning[] {
  const taken = new Map<string, { where: OperationParameter['in']; name: string; operations: string[] }>();
  const keep = (params: OperationParameter[], operation: string): OperationParameter[] => {
    const kept = params.filter((p) => !isCredential(p, credentials));
    for (const p of params.filter((x) => isCredential(x, credentials))) {
      const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
      const entry = taken.get(key) ?? { where: p.in, name: p.name, operations: [] };
      if (!entry.operations.includes(operation)) entry.operations.push(operation);
      taken.set(key, entry);
    }
    return kept;
  };
  for (const r of model.resources) {
    const served = r.served;
    if (!served) continue;
    const route = (kind: string) =>
      `${kind === 'list' || kind === 'create' ? (served.collection ?? '') : (served.item ?? '')}`;
    // A list left empty is dropped, as servedResource leaves out lists it finds empty.
    for (const kind of ['list', 'read'] as const) {
      const field = kind === 'list' ? 'listQuery' : 'readQuery';
      const params = served[field];
      if (!params) continue;
      const kept = keep(params, `GET ${route(kind)}`);
      if (kept.length > 0) served[field] = kept;
      else delete served[field];
    }
    for (const [kind, params] of Object.entries(served.parameters ?? {})) {
      const k = kind as keyof typeof CRUD_METHODS;
      const kept = keep(params, `${CRUD_METHODS[k]} ${route(kind)}`);
      if (kept.length > 0) served.parameters![k] = kept;
      else delete served.parameters![k];
    }
    if (served.parameters && Object.keys(served.parameters).length === 0) delete served.parameters;
  }
  for (const op of model.operations)
    op.parameters = keep(op.parameters, `${op.method.toUpperCase()} ${op.route}`);
  return [...taken.values()].map(({ where, name, operations }) => ({
    at: schemeAt(files, root, where, name),
    code: 'parameter-is-credential',
    message: `the ${where} parameter ${JSON.stringify(name)} of ${operations.join(', ')} is the access token of an apiKey scheme: authentication checks it (401 without a valid token), the parameter's schema does not, and it is never handed to a handler.`,
    hint: 'Nothing to do; leave the parameter out of the operations (the security scheme declares it) to silence this.',
  }));
}

/** Where the report locates a parameter that is a credential: the apiKey scheme that puts the token there. */
function schemeAt(files: SpecFiles, root: JsonObject, where: string, name: string): string {
  const schemes =
    isObject(root.components) && isObject(root.components.securitySchemes)
      ? root.components.securitySchemes
      : {};
  const key = Object.keys(schemes).find((k) => {
    const pointer = child('/components/securitySchemes', k);
    const s = files.deref({ node: schemes[k] ?? null, file: files.rootFile, pointer }).node;
    return (
      isObject(s) &&
      s.type === 'apiKey' &&
      s.in === where &&
      String(s.name).toLowerCase() === name.toLowerCase()
    );
  });
  const pointer =
    key === undefined ? '/components/securitySchemes' : child('/components/securitySchemes', key);
  return files.where({ file: files.rootFile, pointer });
}
