import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import fastJson from 'fast-json-stringify';
import { authorize, unauthenticated } from '../auth/access-control.js';
import type { Principal } from '../auth/tokens.js';
import type { DataScope, OperationInfo } from './access.js';
import { bodyKind, chooseAnswer, notAcceptable, parseMultipartBody, rawBody, renderAnswer, type RouteMedia } from './body-media.js';
import { unsupportedMediaType } from './errors.js';
import { FORM, mediaMatches, parseFormBody } from './form-body.js';
import { runMiddleware } from './request-body.js';
import { repeatableKeys, styleQuery } from './query-styles.js';
import { checkParameters, isTextSchema, parseJsonText } from './request-guards.js';
import { expressPath, specParams } from './route-table.js';
import { compileFor, validationFailed } from './validation.js';

/** What a route handler receives: validated (and, for params/query, coerced) input. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The header parameters the route's schema declares (lower-case names), validated; `{}` without. */
  headers: Record<string, unknown>;
  scope: DataScope;
  requestId: string;
  req: Request;
  /** The media type the answer goes out in, chosen by `Accept` (routes whose spec declares more than JSON). */
  answerType?: string;
}

/** What a route handler returns: the status, the body to serialize, extra headers. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A media type other than JSON (`image/png`): the body (bytes or text) is sent as it is. */
  type?: string;
}

/** A route: method, path, schemas, the operation it performs, and the handler. */
export interface RouteSpec<P, Q, B> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  schema: { params?: object; querystring?: object; headers?: object; body?: object; response?: Record<number, object> };
  operation?: OperationInfo;
  /** Open to anonymous callers (login, register, refresh, logout). */
  public?: boolean;
  /** A request without a body sends the empty object (the spec does not require one). */
  optionalBody?: boolean;
  /** The body is a form (application/x-www-form-urlencoded), not JSON, as the spec declares it. */
  form?: boolean;
  /** The body is bytes in one of these media types (a Buffer), as the spec declares it. */
  raw?: readonly string[];
  /** A CRUD route whose spec declares bodies or answers in more media types than JSON. */
  media?: RouteMedia;
  handler(input: RouteInput<P, Q, B>): Promise<RouteResult>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: the client's X-Request-Id when it looks like one, else a random UUID (app.ts). */
    id: string;
    /** This request's logger (its lines carry `reqId`), built on first use (app.ts). */
    log: Logger;
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

/** The header parameters a route declares (copies: ajv coerces in place), or `{}`. */
function headerInput(req: Request, schema: object | undefined): Record<string, unknown> {
  const names = Object.keys((schema as { properties?: object } | undefined)?.properties ?? {});
  return Object.fromEntries(names.filter((n) => req.headers[n] !== undefined).map((n) => [n, req.headers[n]]));
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
  const validators = (['params', 'querystring', 'headers', 'body'] as const).flatMap((part) => {
    const schema = spec.schema[part];
    return schema ? [{ part, validate: compileFor(part === 'body' ? 'body' : 'query', schema) }] : [];
  });
  const serializers = new Map(
    Object.entries(spec.schema.response ?? {}).map(([status, schema]) => [Number(status), fastJson(schema)]),
  );
  const hasBody = spec.schema.body !== undefined;
  router[spec.method](expressPath(spec.path), async (req: Request, res: Response, next: NextFunction) => {
    req.operation = spec.operation;
    // Deny by default, before any input is read: a valid token is needed unless the
    // route is public, and generated routes need a policy rule for the caller's role.
    if (spec.operation) req.scope = authorize(req.principal, spec.operation);
    else if (!spec.public && !req.principal) throw unauthenticated();
    // A route that answers in no JSON type refuses, before doing anything, a client that accepts none of them.
    const answerType = spec.media?.answer ? chooseAnswer(req.headers.accept, spec.media.answer, spec.media.answerStrict) : undefined;
    if (spec.media?.answer && answerType === undefined) throw notAcceptable(spec.media.answer);
    // Only now is the body read (as Fastify parses it after its onRequest hooks).
    const declared = spec.media?.body;
    const kind = declared && hasPayload(req) ? bodyKind(req.headers['content-type'], declared) : undefined;
    if (declared && hasPayload(req) && kind === undefined) throw unsupportedMediaType(declared.join(' or '));
    if ((spec.form || declared?.includes(FORM)) && !hasPayload(req) && mediaMatches(req.headers['content-type'], [FORM])) {
      // A form without fields is the empty object, as in the Fastify version.
      req.body = {};
    } else if (kind === 'form') {
      await runMiddleware(req.app.locals.readRaw as RequestHandler, req, res);
      req.body = Buffer.isBuffer(req.body) ? parseFormBody(req.body.toString('utf8'), spec.schema.body) : undefined;
    } else if (kind === 'multipart') {
      await runMiddleware(req.app.locals.readRaw as RequestHandler, req, res);
      req.body = Buffer.isBuffer(req.body) ? await parseMultipartBody(req.body, req.headers['content-type']!, spec.schema.body) : undefined;
    } else if (kind === 'xml') {
      await runMiddleware(req.app.locals.readRaw as RequestHandler, req, res);
      req.body = Buffer.isBuffer(req.body) ? spec.media!.xml!.parse(req.body.toString('utf8'), spec.media!.bodyXml!) : undefined;
    } else if (hasPayload(req) && spec.raw) {
      if (!mediaMatches(req.headers['content-type'], spec.raw)) throw unsupportedMediaType(spec.raw.join(' or '));
      await runMiddleware(req.app.locals.readRaw as RequestHandler, req, res);
      if (Buffer.isBuffer(req.body)) req.body = rawBody(req.body, req.headers['content-type']);
    } else if (hasPayload(req) && isTextSchema(spec.schema.body) && mediaMatches(req.headers['content-type'], ['application/json'])) {
      // A JSON body whose schema is a string (a JSONL file): the text, read as parseJsonText says.
      await runMiddleware(req.app.locals.readRaw as RequestHandler, req, res);
      req.body = Buffer.isBuffer(req.body) ? parseJsonText(req.body.toString('utf8')) : undefined;
    } else if (hasPayload(req) && spec.form) {
      await runMiddleware(req.app.locals.readForm as RequestHandler, req, res);
      req.body = typeof req.body === 'string' ? parseFormBody(req.body, spec.schema.body) : undefined;
    } else if (hasPayload(req)) await runMiddleware(req.app.locals.readBody as RequestHandler, req, res);
    // Object and array query parameters are read by their OpenAPI style before the schema validates them.
    // Read once: Express 5 parses the query string again on every read of req.query.
    const query = req.query as Record<string, unknown>;
    checkParameters('query', query, repeatableKeys(spec.schema.querystring));
    // Copies: ajv coerces in place.
    const input = {
      // Params the route names by an alias (`{widget-id}`) are validated and handled under the spec's name.
      params: { ...specParams(req.params) },
      querystring: { ...styleQuery(query, spec.schema.querystring) },
      headers: headerInput(req, spec.schema.headers),
      body: (req.body === undefined && spec.optionalBody ? {} : req.body) as unknown,
    };
    const media = spec.form ? FORM : 'application/json';
    if (hasBody && !spec.raw && !declared && req.headers['content-type'] !== undefined && !mediaMatches(req.headers['content-type'], [media])) throw unsupportedMediaType(media);
    checkParameters('params', input.params);
    for (const { part, validate } of validators) {
      if (!validate(input[part])) {
        const where = part === 'querystring' ? 'query' : part === 'headers' ? 'header' : part;
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
      headers: input.headers,
      scope: req.scope ?? {},
      requestId: String(req.id),
      req,
      ...(answerType === undefined ? {} : { answerType }),
    });
    const status = result.status ?? 200;
    res.status(status);
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
    if (result.body === undefined) {
      res.end();
      return;
    }
    if (result.type) {
      res.setHeader('content-type', result.type);
      res.end(result.body as Buffer | string);
      return;
    }
    const serialize = serializers.get(status);
    if (spec.media?.answer) {
      // The spec declares the answer in more types than JSON: Accept chooses. XML (a list's CSV) is the
      // JSON answer (same properties) written by the spec's xml objects; a handler's text or bytes go as they are.
      res.vary('Accept');
      const answer = renderAnswer(answerType!, spec.media, result.body, () => (serialize ? serialize(result.body) : JSON.stringify(result.body)));
      if (answer) {
        res.setHeader('content-type', answer.type);
        res.end(answer.body);
        return;
      }
    }
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(serialize ? serialize(result.body) : JSON.stringify(result.body));
    void next;
  });
}
