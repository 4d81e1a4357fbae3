import type { FastifyInstance, FastifyRequest } from 'fastify';
import { operations } from '../generated/operations.js';
import { bodyKind, parseMultipartBody, rawBody } from './body-media.js';
import { unsupportedMediaType } from './errors.js';
import { FORM, mediaMatches, parseFormBody } from './form-body.js';
import { contentCodingError, isTextSchema, parseJsonBody, parseJsonText } from './request-guards.js';
import { routeOf } from './route-of.js';

/** `application/xml`, `text/xml`, `application/<anything>+xml` (parameters such as charset allowed). */
const XML_TYPES = /^(?:application\/(?:[\w.-]+\+)?xml|text\/xml)\s*(?:;|$)/i;
/** JSON with a structured suffix (`application/merge-patch+json`, `application/vnd.api+json`). */
const SUFFIX_JSON_TYPES = /^application\/[\w.-]+\+json\s*(?:;|$)/i;

/**
 * Replaces Fastify's body parsers with the media types the spec declares, route by route: JSON
 * (nested no deeper than `maxDepth`), forms, XML, multipart and raw bytes; any other type is 415.
 */
export function registerBodyParsers(app: FastifyInstance, maxDepth: number): void {
  // JSON (another JSON type, `application/merge-patch+json`, where the spec declares it), or a form
  // where the spec declares one (route config `form`): every other content type gets 415. The
  // guards refuse deep nesting, prototype keys, NUL characters, lone surrogates and inexact
  // numbers with 400.
  app.removeAllContentTypeParsers();
  const jsonParser = (req: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
    // A path no route answers is 404 whatever its body: it is not parsed (as in the Express version).
    // A compressed body is 415 (contentCodingError), as in the Express version, not read as plain.
    if (routeOf(req).url === undefined) return done(null, undefined);
    const coding = contentCodingError(req.headers);
    if (coding) return done(coding, undefined);
    // Another JSON type (`application/merge-patch+json`) only where the spec declares it.
    const declared = routeOf(req).config.media?.body;
    if (SUFFIX_JSON_TYPES.test(req.headers['content-type'] ?? '') && !(declared && bodyKind(req.headers['content-type'], declared) === 'json')) {
      return done(unsupportedMediaType(declared?.join(' or ') ?? 'application/json'), undefined);
    }
    if (routeOf(req).config.form) return done(unsupportedMediaType(FORM), undefined);
    const raw = routeOf(req).config.raw;
    if (raw && !mediaMatches(req.headers['content-type'], raw)) return done(unsupportedMediaType(raw.join(' or ')), undefined);
    if (raw) return done(null, Buffer.from(body as string));
    if (isTextSchema((routeOf(req).schema as { body?: object } | undefined)?.body)) return done(null, parseJsonText(body as string));
    try {
      done(null, parseJsonBody(body as string, maxDepth));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonParser);
  app.addContentTypeParser(SUFFIX_JSON_TYPES, { parseAs: 'string' }, jsonParser);
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (req, body, done) => {
    if (routeOf(req).url === undefined) return done(null, undefined);
    const coding = contentCodingError(req.headers);
    if (coding) return done(coding, undefined);
    const declared = routeOf(req).config.media?.body;
    if (!routeOf(req).config.form && !(declared && bodyKind(req.headers['content-type'], declared) === 'form')) {
      const raw = routeOf(req).config.raw;
      if (raw && mediaMatches(req.headers['content-type'], raw)) return done(null, Buffer.from(body as string));
      return done(unsupportedMediaType(raw?.join(' or ') ?? 'application/json'), undefined);
    }
    try {
      done(null, parseFormBody(body as string, (routeOf(req).schema as { body?: object } | undefined)?.body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // XML and multipart bodies of CRUD routes whose spec declares them (route config `media`), read
  // into the object the schema describes and validated as JSON is; bytes for an upload route that
  // declares the type; 415 elsewhere.
  const otherwise = (req: FastifyRequest, bytes: Buffer): Buffer | string => {
    const raw = routeOf(req).config.raw;
    if (raw && mediaMatches(req.headers['content-type'], raw)) return rawBody(bytes, req.headers['content-type']);
    throw unsupportedMediaType(routeOf(req).config.media?.body?.join(' or ') ?? raw?.join(' or ') ?? 'application/json');
  };
  app.addContentTypeParser(XML_TYPES, { parseAs: 'string' }, (req, body, done) => {
    if (routeOf(req).url === undefined) return done(null, undefined);
    const coding = contentCodingError(req.headers);
    if (coding) return done(coding, undefined);
    const media = routeOf(req).config.media;
    try {
      if (media?.body && media.xml && media.bodyXml && bodyKind(req.headers['content-type'], media.body) === 'xml') {
        return done(null, media.xml.parse(body as string, media.bodyXml));
      }
      done(null, otherwise(req, Buffer.from(body as string)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (req: FastifyRequest, body: Buffer) => {
    if (routeOf(req).url === undefined) return undefined;
    const coding = contentCodingError(req.headers);
    if (coding) throw coding;
    const declared = routeOf(req).config.media?.body;
    if (declared && bodyKind(req.headers['content-type'], declared) === 'multipart') {
      return parseMultipartBody(body, req.headers['content-type']!, (routeOf(req).schema as { body?: object } | undefined)?.body);
    }
    return otherwise(req, body);
  });
  // Any other media type: bytes for the routes whose spec declares it (an upload), else 415.
  // Only in projects with such routes: elsewhere Fastify refuses other types before reading them.
  if ((Object.values(operations) as object[]).some((op) => 'raw' in op)) {
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
      if (routeOf(req).url === undefined) return done(null, undefined);
    const coding = contentCodingError(req.headers);
    if (coding) return done(coding, undefined);
      const raw = routeOf(req).config.raw;
      if (!raw || !mediaMatches(req.headers['content-type'], raw)) {
        return done(unsupportedMediaType(raw?.join(' or ') ?? 'application/json'), undefined);
      }
      done(null, rawBody(body as Buffer, req.headers['content-type']));
    });
  }
}
