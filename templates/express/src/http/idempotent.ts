import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { OWN_AUTH_ROUTES } from '../generated/policy.js';
import { IdempotencyStore, requestHash } from './idempotency.js';

/**
 * Idempotency-Key on POST, for authenticated callers only: keys are kept
 * apart per caller, and an anonymous scope, or the token endpoints, would let
 * a replay hand out tokens. Runs after validation (an invalid body claims
 * nothing), as in the Fastify version.
 */
export function idempotencyGuard(store: IdempotencyStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.headers['idempotency-key'];
    // tenon's own auth routes by method and path (routing is exact): a spec's operation under /api/v1/auth/ takes a key.
    if (req.method !== 'POST' || key === undefined || !req.principal || OWN_AUTH_ROUTES.has(`${req.method} ${req.path}`)) {
      return next();
    }
    idempotent(store, req, res, String(key)).then((replayed) => {
      if (!replayed) next();
    }, next);
  };
}

/**
 * Claims the key; replays a stored answer, or lets the request run and
 * stores its answer before it is sent (so a retry right after sees it).
 * Resolves true when the answer was replayed (no handler may run).
 */
async function idempotent(store: IdempotencyStore, req: Request, res: Response, key: string): Promise<boolean> {
  IdempotencyStore.check(key);
  const scope = String(req.principal?.id ?? '');
  const claim = await store.claim(scope, key, requestHash(req.method, req.originalUrl, req.body));
  if (claim.kind === 'replay') {
    // The first answer again: its status, Content-Type and bytes (XML, CSV, an operation's own type).
    const { status, location, type, body } = claim.response;
    res.status(status).setHeader('idempotent-replayed', 'true');
    res.setHeader('content-type', type ?? 'application/json; charset=utf-8');
    if (location) res.setHeader('location', location);
    res.end(body ?? undefined);
    return true;
  }
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let stored = false;
  res.end = ((...args: unknown[]) => {
    if (stored) return end(...args);
    stored = true;
    const chunk = args[0];
    const location = res.getHeader('location');
    const type = res.getHeader('content-type');
    store
      .finish(scope, key, {
        status: res.statusCode,
        location: typeof location === 'string' ? location : null,
        type: typeof type === 'string' ? type : null,
        body: typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk : null,
      })
      // The answer still goes out; the unfinished claim is given up after a minute.
      .catch((error: unknown) => req.log.warn({ err: error }, 'could not store the Idempotency-Key answer'))
      .finally(() => end(...args));
    return res;
  }) as Response['end'];
  return false;
}
