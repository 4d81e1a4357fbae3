import { TenonError } from '../core/errors.js';

/**
 * How the demo authenticates, following the generated project's auth
 * contract: `POST /api/v1/auth/register` then `POST /api/v1/auth/login`,
 * and `Authorization: Bearer <accessToken>` on every resource request.
 */
export interface DemoSession {
  /** Headers for the load's requests (empty without authentication). */
  headers: Record<string, string>;
  authenticated: boolean;
  email: string;
  /** The user's id, when registration returned one. */
  userId: number | string | null;
  /** Why the run is unauthenticated, when it is. */
  note: string | null;
}

interface Envelope<T> {
  success?: boolean;
  data?: T;
  error?: { code?: string; message?: string };
}

async function post<T>(url: string, body: unknown): Promise<{ status: number; json: Envelope<T> | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: Envelope<T> | null = null;
  try {
    json = text ? (JSON.parse(text) as Envelope<T>) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

/**
 * Registers a demo user and logs in. An app without the auth endpoints
 * (register answers 404) gives an unauthenticated session with a note, so
 * the demo still runs; any other failure is an error.
 */
export async function openDemoSession(baseUrl: string): Promise<DemoSession> {
  const email = `demo-${Date.now()}@example.com`;
  const password = `tenon-demo-${Math.random().toString(36).slice(2)}-Pw1!`;
  const register = await post<{ id: number | string }>(`${baseUrl}/api/v1/auth/register`, {
    email,
    password,
  });
  if (register.status === 404) {
    return {
      headers: {},
      authenticated: false,
      email,
      userId: null,
      note: 'the generated app has no authentication yet (POST /api/v1/auth/register answered 404): the load runs unauthenticated',
    };
  }
  if (register.status !== 201) {
    throw loginFailed(
      `Registering the demo user answered ${register.status}: ${register.json?.error?.message ?? 'no error message'}.`,
    );
  }
  const login = await post<{ accessToken: string; tokenType: string }>(`${baseUrl}/api/v1/auth/login`, {
    email,
    password,
  });
  const token = login.json?.data?.accessToken;
  if (login.status !== 200 || !token) {
    throw loginFailed(
      `Logging in as the demo user answered ${login.status}: ${login.json?.error?.message ?? 'no token'}.`,
    );
  }
  return {
    headers: { authorization: `Bearer ${token}` },
    authenticated: true,
    email,
    userId: register.json?.data?.id ?? null,
    note: null,
  };
}

function loginFailed(message: string): TenonError {
  return new TenonError('TENON_DEMO_LOGIN_FAILED', message, {
    hint: 'The generated app does not follow the auth contract (POST /api/v1/auth/register → 201, /login → 200 with accessToken); check its logs in the demo folder.',
  });
}
