/**
 * Orders routes as Fastify matches them (Express matches in registration
 * order): segment by segment, a fixed name comes before a parameter
 * (`/user/login` before `/user/:username`); different fixed names are in
 * name order (they never match the same path). A consistent order, so the
 * sort is stable.
 */
export function byRouteSpecificity(a: { route: string }, b: { route: string }): number {
  const x = a.route.split('/');
  const y = b.route.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const px = x[i]!.startsWith(':');
    const py = y[i]!.startsWith(':');
    if (px !== py) return px ? 1 : -1;
    if (!px && x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}
