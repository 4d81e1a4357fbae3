import type { TestApp } from './test-app.js';

/**
 * Headers that authenticate a request as a user with `role`.
 * Placeholder until the project has authentication: anonymous requests
 * are all it can make, so the headers are empty.
 */
export async function sessionFor(
  app: TestApp,
  role: 'admin' | 'user',
): Promise<{ headers: Record<string, string>; userId: number | string; email: string }> {
  void app;
  void role;
  return { headers: {}, userId: 0, email: '' };
}
