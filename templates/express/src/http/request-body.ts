import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../config.js';
import { AppError, unsupportedMediaType } from './errors.js';
import { FORM } from './form-body.js';
import { contentCodingError, parseJsonBody } from './request-guards.js';

const READ = Symbol('request body read');
/** `application/json` and JSON with a structured suffix (`application/vnd.api+json`), as type-is reads them. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Reads the JSON request body, once per request. Routes call it after the
 * caller has been authenticated and authorized, as Fastify parses bodies only
 * after its onRequest hooks: an anonymous or forbidden request is answered
 * 401/403 without its body being read. The body is read as text and parsed
 * by the guards (deep nesting, prototype keys, NUL characters, lone
 * surrogates and inexact numbers are 400); a payload that is not JSON is 415
 * before it is read.
 */
export function requestBody(config: Pick<Config, 'BODY_LIMIT_BYTES' | 'JSON_MAX_DEPTH'>): RequestHandler {
  // Other JSON types too (`application/merge-patch+json`): the route takes them where its spec declares them (bodyKind).
  const text = express.text({ type: JSON_TYPES, limit: config.BODY_LIMIT_BYTES });
  return (req: Request, res: Response, next: NextFunction) => {
    const marked = req as Request & { [READ]?: boolean };
    if (marked[READ]) return next();
    marked[READ] = true;
    const hasPayload = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
    if (hasPayload && !req.is(JSON_TYPES)) {
      return next(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The content type is not supported; send application/json.'));
    }
    if (hasPayload) {
      const coding = contentCodingError(req.headers);
      if (coding) return next(coding);
    }
    text(req, res, (error?: unknown) => {
      if (error) return next(error);
      try {
        if (typeof req.body === 'string') req.body = parseJsonBody(req.body, config.JSON_MAX_DEPTH);
        next();
      } catch (parseError) {
        next(parseError);
      }
    });
  };
}

/**
 * Reads a form body (`application/x-www-form-urlencoded`) as text, once per
 * request, for the routes whose spec declares one; `addRoute` parses it
 * with the route's body schema (see `parseFormBody`).
 */
export function requestForm(config: Pick<Config, 'BODY_LIMIT_BYTES'>): RequestHandler {
  const text = express.text({ type: FORM, limit: config.BODY_LIMIT_BYTES });
  return (req: Request, res: Response, next: NextFunction) => {
    const marked = req as Request & { [READ]?: boolean };
    if (marked[READ]) return next();
    marked[READ] = true;
    if (!req.is(FORM)) return next(unsupportedMediaType(FORM));
    const coding = contentCodingError(req.headers);
    if (coding) return next(coding);
    text(req, res, next);
  };
}

/** Reads a body as bytes (a Buffer), for the routes whose spec declares an upload media type; `addRoute` checks the type first. */
export function requestRaw(config: Pick<Config, 'BODY_LIMIT_BYTES'>): RequestHandler {
  const raw = express.raw({ type: () => true, limit: config.BODY_LIMIT_BYTES });
  return (req: Request, res: Response, next: NextFunction) => {
    const coding = contentCodingError(req.headers);
    if (coding) return next(coding);
    raw(req, res, next);
  };
}

/** Runs a middleware as a promise; resolves true when it called `next()`, false when it answered the request itself. */
export function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<boolean> {
  return new Promise((resolve, reject) => {
    res.once('finish', () => resolve(false));
    void middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve(true)));
  });
}
