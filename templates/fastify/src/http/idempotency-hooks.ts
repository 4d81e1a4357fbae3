import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { OWN_AUTH_ROUTES } from '../generated/policy.js';
import { IdempotencyStore, requestHash } from './idempotency.js';
import { routeOf } from './route-of.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed; its answer is stored on send. */
    idempotency: { scope: string; key: string } | null;
  }
}

/** The callback of a callback-style hook: nothing to go on, or the error to answer with. */
type HookDone = (error?: Error) => void;

/** The two route hooks of every POST route: claim the Idempotency-Key, then store the answer it gets. */
export interface IdempotencyHooks {
  /** preHandler: claims the key, or answers with the first answer given to it. */
  claim: (request: FastifyRequest, reply: FastifyReply, done: HookDone) => void;
  /** onSend: stores the answer of a request that claimed a key. */
  store: (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void) => void;
}

/**
 * Idempotency-Key on POST, after validation (an invalid body claims nothing) and after the
 * access layer has authenticated the caller: keys are kept apart per caller, and only
 * authenticated calls to resources take part (an anonymous scope, or the token endpoints,
 * would let a replay hand out another caller's answer). Route hooks of the POST routes (the app's
 * onRoute hook adds them), not app hooks: the other methods skip a preHandler and an onSend step
 * each. The app decorates requests with `idempotency: null`.
 */
export function idempotencyHooks(db: Db, ttlMs: number): IdempotencyHooks {
  const idempotency = new IdempotencyStore(db, ttlMs);
  // Callback-style, like the app's hooks: most POSTs are not keyed and leave at once, without a promise each.
  function claim(request: FastifyRequest, reply: FastifyReply, done: HookDone): void {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !request.principal) return done();
    const route = routeOf(request);
    // tenon's own auth routes by method and pattern: a spec's operation under /api/v1/auth/ takes a key.
    if (route.config.public || OWN_AUTH_ROUTES.has(`${request.method} ${route.url}`)) return done();
    const principal = request.principal;
    (async () => {
      IdempotencyStore.check(String(key));
      const scope = String(principal.id);
      const claimed = await idempotency.claim(scope, String(key), requestHash(request.method, request.url, request.body));
      if (claimed.kind === 'new') {
        request.idempotency = { scope, key: String(key) };
        return done();
      }
      // The first answer again: its status, Content-Type and bytes (XML, CSV, an operation's own type).
      const { status, location, type, body } = claimed.response;
      void reply.code(status).header('idempotent-replayed', 'true').type(type ?? 'application/json; charset=utf-8');
      if (location) void reply.header('location', location);
      void reply.send(body ?? undefined);
    })().catch((error: unknown) => done(error as Error));
  }
  function store(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void {
    const claimed = request.idempotency;
    if (!claimed) return done(null, payload);
    request.idempotency = null;
    const location = reply.getHeader('location');
    const type = reply.getHeader('content-type');
    idempotency
      .finish(claimed.scope, claimed.key, {
        status: reply.statusCode,
        location: typeof location === 'string' ? location : null,
        type: typeof type === 'string' ? type : null,
        body: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : null,
      })
      // The answer still goes out; the unfinished claim is given up after a minute.
      .catch((error: unknown) => request.log.warn({ err: error }, 'could not store the Idempotency-Key answer'))
      .finally(() => done(null, payload));
  }
  return { claim, store };
}
