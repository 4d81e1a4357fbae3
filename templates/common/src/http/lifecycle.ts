/**
 * Where the process is in its life: once `draining` is set (SIGTERM),
 * `/health/ready` answers 503 so load balancers stop sending traffic,
 * while requests already on their way are still served.
 */
export class Lifecycle {
  draining = false;
}

/** Resolves like `promise`, or rejects after `ms` (the promise keeps running). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
