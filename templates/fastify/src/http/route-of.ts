import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** `routeOptions`, read once: Fastify builds that object anew on every read (see routeOf). */
    matchedRoute: FastifyRequest['routeOptions'] | null;
  }
}

/**
 * The route a request matched (`request.routeOptions`), read once per request: Fastify's getter
 * builds a new object of a dozen properties on every read, and the hooks read it five times on
 * every request. (The app decorates requests with `matchedRoute: null`.)
 */
export function routeOf(request: FastifyRequest): FastifyRequest['routeOptions'] {
  return (request.matchedRoute ??= request.routeOptions);
}
