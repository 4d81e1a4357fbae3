import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import fastJson from 'fast-json-stringify';
import { authorize, unauthenticated } from '../auth/access-control.js';
import type { Principal } from '../auth/tokens.js';
import type { DataScope, OperationInfo } from './access.js';
import { AppError } from './errors.js';
import { runMiddleware } from './request-body.js';
import { checkParameters } from './request-guards.js';
import { compileFor, validationFailed } from './validation.js';

/** What a route handler receives: validated (and, for params/query, coerced) input. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  scope: DataScope;
  requestId: string;
  req: Request;
}

/** What a route handler returns: the status, the body to serialize, extra headers. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route: method, path, schemas, the operation it performs, and the handler. */
export interface RouteSpec<P, Q, B> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  schema: { params?: object; querystring?: object; body?: object; response?: Record<number, object> };
  operation?: OperationInfo;
  /** Open to anonymous callers (login, register, refresh, logout). */
  public?: boolean;
  handler(input: RouteInput<P, Q, B>): Promise<RouteResult>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Whose data this request may see; the access layer narrows it. */
    scope?: DataScope;
    /** What the matched route does and the permission it needs. */
    operation?: OperationInfo;
    /** The caller, from a valid access token; undefined for anonymous requests. */
    principal?: Principal;
  }
}

/** Whether a request carries a payload (a body to read). */
function hasPayload(req: Request): boolean {
  return (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Registers a route with the same contract as the Fastify version:
 * params, query and body validated by ajv from the schemas (400 with
 * per-field details), responses serialized by fast-json-stringify from the
 * response schemas (undeclared properties never leave the server).
 */
export function addRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(
  router: Router,
  spec: RouteSpec<P, Q, B>,
): void {
  const validators = (['params', 'querystring', 'body'] as const).flatMap((part) => {
    const schema = spec.schema[part];
    return schema ? [{ part, validate: compileFor(part === 'body' ? 'body' : 'query', schema) }] : [];
  });
  const serializers = new Map(
    Object.entries(spec.schema.response ?? {}).map(([status, schema]) => [Number(status), fastJson(schema)]),
  );
  const hasBody = spec.schema.body !== undefined;
  router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
    req.operation = spec.operation;
    // Deny by default, before any input is read: a valid token is needed unless the
    // route is public, and generated routes need a policy rule for the caller's role.
    if (spec.operation) req.scope = authorize(req.principal, spec.operation);
    else if (!spec.public && !req.principal) throw unauthenticated();
    // Only now is the body read (as Fastify parses it after its onRequest hooks).
    if (hasPayload(req)) await runMiddleware(req.app.locals.readBody as RequestHandler, req, res);
    checkParameters('query', req.query as Record<string, unknown>);
    // Copies: Express 5 computes req.query on every access, and ajv coerces in place.
    const input = {
      params: { ...req.params } as Record<string, unknown>,
      querystring: { ...(req.query as Record<string, unknown>) },
      body: req.body as unknown,
    };
    if (hasBody && req.headers['content-type'] !== undefined && !req.is('application/json')) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The content type is not supported; send application/json.');
    }
    checkParameters('params', input.params);
    for (const { part, validate } of validators) {
      if (!validate(input[part])) {
        const where = part === 'querystring' ? 'query' : part;
        throw validationFailed(where, validate.errors);
      }
    }
    // Idempotency-Key after validation: an invalid body claims nothing. False: the stored answer was replayed.
    if (req.method === 'POST' && req.headers['idempotency-key'] !== undefined) {
      if (!(await runMiddleware(req.app.locals.idempotency as RequestHandler, req, res))) return;
    }
    const result = await spec.handler({
      params: input.params as P,
      query: input.querystring as Q,
      body: input.body as B,
      scope: req.scope ?? {},
      requestId: String(req.id),
      req,
    });
    const status = result.status ?? 200;
    res.status(status);
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
    if (result.body === undefined) {
      res.end();
      return;
    }
    const serialize = serializers.get(status);
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(serialize ? serialize(result.body) : JSON.stringify(result.body));
    void next;
  });
}
