import {
  answerTypes,
  buildRequest,
  type CreatedObjects,
  createdLocations,
  type OracleRequest,
  otherBodyTypes,
} from './build-request.js';
import { startPrism } from './prism.js';
import type { Node, Spec, SpecOperation } from './spec-reader.js';

/** One violation prism found in a request or its response. */
export interface Violation {
  location: string;
  severity: string;
  message: string;
}

/** What happened to one operation. */
export interface OperationOutcome {
  operationId: string;
  method: string;
  path: string;
  /** The HTTP status, or 0 when the request failed before an answer. */
  status: number;
  violations: Violation[];
  /** Why the answer counts as refusing a spec-valid request (400, 401, 403, 404 on a known key, 5xx…). */
  refused?: string;
  /** The operation answered 501: tenon routed it to a handler its user has not written yet. */
  notImplemented: boolean;
  /**
   * The app answered 501 and prism, as its proxy mode does, answered with a mock of the operation
   * instead (the status seen is the mock's). Counted as not implemented, never as conforming.
   */
  mockedByPrism?: true;
  /**
   * Why the request itself broke the spec (prism's request faults), when the spec's own examples
   * made a full body its schema refuses: not a spec-valid request, so no refusal is counted.
   */
  invalidRequest?: string[];
  /**
   * What prism reported but cannot judge, left out of the violations: it
   * reads an XML body or answer as a string ("must be object"), and
   * deserializes a form's one-item array as a single value. The request was
   * built from the spec; its answer's status still counts.
   */
  unvalidated?: string[];
}

/** The oracle's verdict on one running app. */
export interface OracleReport {
  /** Differences between the spec and the `/openapi.json` the app serves (JSON pointers), empty when equal. */
  servedSpecDiff: string[];
  operations: OperationOutcome[];
  /** Violations of implemented operations, plus one when the served spec differs. */
  violations: number;
  refused: number;
  notImplemented: number;
  /**
   * Path keys a create answered for, whose value its answer does not give
   * as the spec declares (no property of the key's name, no link, no
   * Location header): `GET /menu/{menuItemId}: menuItemId`. Sent as the
   * example or a sample instead of a guessed `id`.
   */
  unkeyed: string[];
}

/** Options of {@link exerciseApp}. */
export interface ExerciseOptions {
  spec: Spec;
  /** The spec file prism loads (the bundled copy). */
  specFile: string;
  /** The app's origin (`http://127.0.0.1:PORT`). */
  app: string;
  prismBin: string;
  /** An account the app knows (created with the project's create-admin). */
  admin: { email: string; password: string };
  /**
   * Accounts holding the roles of {@link rolesToGrant}, by role, made before the app starts (the
   * project's create-admin, then `node dist/grant.js <email> <role>`: the embedded database has one
   * owner, the running server). Operations the spec gives to such a role are called by its account;
   * without one, by the admin, whom the spec's role list may leave out.
   */
  accounts?: Record<string, { email: string; password: string }>;
}

const METHOD_RANK: Record<string, number> = {
  post: 0,
  put: 1,
  get: 2,
  head: 3,
  options: 3,
  patch: 4,
  trace: 5,
  delete: 6,
};

/**
 * The order a client would call the operations in: creates first (their
 * answers give the keys later requests use), reads and updates next,
 * deletes last and deepest paths first.
 */
export function callOrder(operations: SpecOperation[]): SpecOperation[] {
  const depth = (op: SpecOperation) => op.path.split('/').length;
  const creates = operations.filter((op) => op.method === 'post').sort((a, b) => depth(a) - depth(b));
  // Deletes undo creates in reverse: what was created last (and may refer to earlier rows) goes first.
  const created = (op: SpecOperation) => {
    const i = creates.findLastIndex((c) => op.path.startsWith(`${c.path}/`));
    return i === -1 ? -1 : i;
  };
  return [...operations].sort((a, b) => {
    const rank = METHOD_RANK[a.method]! - METHOD_RANK[b.method]!;
    if (rank !== 0) return rank;
    if (a.method === 'delete') return created(b) - created(a) || depth(b) - depth(a);
    return depth(a) - depth(b);
  });
}

/** JSON with object keys sorted, so two documents compare by content. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/** JSON pointers where `a` and `b` differ (at most `limit`). */
export function jsonDiff(a: unknown, b: unknown, limit = 8, at = ''): string[] {
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  const objects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!objects || Array.isArray(a) !== Array.isArray(b)) return [at || '/'];
  const out: string[] = [];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    if (out.length >= limit) break;
    const token = key.replace(/~/g, '~0').replace(/\//g, '~1');
    out.push(
      ...jsonDiff(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        limit - out.length,
        `${at}/${token}`,
      ),
    );
  }
  return out;
}

/** Registers an account through the app's own endpoint (it gets the role `user`). */
async function register(app: string, spec: Spec, account: ExerciseOptions['admin']): Promise<void> {
  for (const path of ['/api/v1/auth/register', `${spec.basePath}/auth/register`]) {
    const res = await fetch(`${app}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    if (res.status === 404) continue;
    if (res.status !== 201) throw new Error(`registering a user failed: ${res.status} ${await res.text()}`);
    return;
  }
  throw new Error('no register endpoint answered (tried /api/v1/auth/register and the base path)');
}

async function login(app: string, spec: Spec, admin: ExerciseOptions['admin']): Promise<string> {
  // tenon's token endpoints are not in the user's spec; they are tried at tenon's path, then under the base path.
  for (const path of ['/api/v1/auth/login', `${spec.basePath}/auth/login`]) {
    const res = await fetch(`${app}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    if (res.status === 404) continue;
    const body = (await res.json().catch(() => undefined)) as Node;
    const token = body?.data?.accessToken ?? body?.accessToken;
    if (res.status !== 200 || typeof token !== 'string')
      throw new Error(`logging in as the admin failed: ${res.status} ${JSON.stringify(body)}`);
    return token;
  }
  throw new Error('no login endpoint answered (tried /api/v1/auth/login and the base path)');
}

function parseViolations(header: string | null): Violation[] {
  if (!header) return [];
  try {
    return (JSON.parse(header) as Node[]).map((v) => ({
      location: Array.isArray(v.location) ? v.location.join('.') : String(v.location ?? ''),
      severity: String(v.severity ?? ''),
      message: String(v.message ?? ''),
    }));
  } catch {
    return [
      { location: 'sl-violations', severity: 'Error', message: `unreadable header: ${header.slice(0, 200)}` },
    ];
  }
}

/**
 * Prism's violations of one answer, less the one that says a 404 is not in
 * the spec when the request's key was invented (an example or a sample, not
 * a key a create returned): no row has that key, and OpenAPI does not ask a
 * spec to list every status an API may answer ("not expected to cover all
 * possible HTTP response codes"). A 404 for a created key stays a refusal.
 */
export function answerViolations(
  status: number,
  violations: Violation[],
  idSources: Record<string, string>,
): Violation[] {
  const sources = Object.values(idSources);
  const invented = sources.length > 0 && sources.some((s) => s !== 'created');
  if (status !== 404 || !invented) return violations;
  return violations.filter(
    (v) => !(v.location === 'response' && v.message.startsWith('Unable to match the returned status code')),
  );
}

/**
 * A refusal prism wrote itself, not the app's: its problem+json
 * (`https://stoplight.io/prism/errors#…`), or an empty body — prism answers a
 * request it finds invalid with the spec's 4xx when the spec declares one
 * (petstore's bodiless 422), while the generated app never refuses without
 * an error body.
 */
export function byPrism(body: Node): boolean {
  if (body === undefined || body === '') return true;
  return isPrismProblem(body);
}

/** Prism's own problem+json: it refused or could not forward the request. */
function isPrismProblem(body: Node): boolean {
  return typeof body === 'object' && body !== null && String(body.type ?? '').includes('stoplight.io/prism');
}

const REFUSALS = new Set([400, 401, 403, 405, 406, 411, 413, 414, 415, 422, 429, 431]);

function refusal(status: number, idSources: Record<string, string>): string | undefined {
  if (status === 0) return 'no answer';
  if (status >= 500 && status !== 501) return `${status}: a server error on a spec-valid request`;
  if (REFUSALS.has(status)) return `${status}: a spec-valid request was refused`;
  if (status === 404) {
    const sources = Object.values(idSources);
    if (sources.length === 0) return '404 on a path without parameters: the operation is not served';
    if (sources.every((s) => s === 'created')) return '404 for a key an earlier create returned';
  }
  return undefined;
}

/**
 * The requests the oracle sends for one operation: a create or update
 * whose full body (every optional property, the spec's example object)
 * differs from the minimal one is sent with both, the full one first — a
 * spec-valid body with optional properties (petstore's `"id": 10`) must
 * not be refused either.
 */
export function requestsOf(
  op: SpecOperation,
  spec: Spec,
  created: CreatedObjects,
  token: string,
): (OracleRequest & { fullBody?: boolean; variant?: string })[] {
  const minimal = buildRequest(op, spec, created, token);
  // Then the body in each other media type the spec lists (a form, multipart, XML), and the
  // answer asked for in each other type it declares (XML): every one is the spec's promise.
  const variants = [
    ...otherBodyTypes(op).map((media) => ({
      ...buildRequest(op, spec, created, token, { media }),
      variant: media,
    })),
    ...answerTypes(op)
      .filter((t) => !/json/i.test(t))
      .map((accept) => ({
        ...buildRequest(op, spec, created, token, { accept }),
        variant: `Accept ${accept}`,
      })),
  ];
  if (!['post', 'put', 'patch'].includes(op.method) || minimal.body === undefined)
    return [minimal, ...variants];
  const full = buildRequest(op, spec, created, token, { fullBody: true });
  return [...(full.body === minimal.body ? [minimal] : [{ ...full, fullBody: true }, minimal]), ...variants];
}

let requestCount = 0;

/**
 * Sends one request through prism: the status, prism's violations, the parsed answer, and whether
 * the app wrote that answer. Each request carries its own `X-Request-Id`, which a tenon app echoes;
 * an answer without it is prism's own. Prism answers for the app when the app says 501: it then
 * mocks the operation from the spec ("Remocking the call"), and that mock must not pass for the
 * app's conforming answer.
 */
export async function send(
  base: string,
  request: OracleRequest,
): Promise<{
  status: number;
  violations: Violation[];
  body: Node;
  contentType: string;
  fromApp: boolean;
  location?: string;
}> {
  const search = new URLSearchParams(request.query).toString();
  const url = `${base}${request.path}${search ? `?${search}` : ''}`;
  const id = `tenon-oracle-${process.pid}-${++requestCount}`;
  try {
    const res = await fetch(url, {
      method: request.method,
      headers: { ...request.headers, 'x-request-id': id },
      body: request.body,
      // A 3xx is the answer to judge, not a place to go: following it left loopback (prism's mock of
      // a 302 names the spec's example host) and counted as no answer.
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const violations = parseViolations(res.headers.get('sl-violations'));
    const text = await res.text();
    let body: Node;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return {
      status: res.status,
      violations,
      body,
      contentType: res.headers.get('content-type') ?? '',
      fromApp: res.headers.get('x-request-id') === id,
      ...(res.headers.get('location') ? { location: res.headers.get('location')! } : {}),
    };
  } catch (error) {
    const message = String((error as Error).cause ?? error);
    return {
      status: 0,
      violations: [{ location: 'request', severity: 'Error', message }],
      body: undefined,
      contentType: '',
      fromApp: false,
    };
  }
}

/**
 * The roles the oracle needs accounts of ({@link ExerciseOptions.accounts}):
 * for each operation the spec gives neither to `admin` nor to `user`
 * (`x-tenon-permissions: [vet]`), the first role it names.
 */
export function rolesToGrant(spec: Spec): string[] {
  const roles = spec.operations
    .filter((op) => op.roles && !op.roles.includes('admin') && !op.roles.includes('user'))
    .map((op) => op.roles![0]!);
  return [...new Set(roles)];
}

/** The email of the oracle's account holding `role`. */
export function roleAccountEmail(role: string): string {
  return `oracle-${role.replace(/[^A-Za-z0-9_.-]/g, '-')}@example.test`;
}

/**
 * Calls every operation of the spec through a prism proxy in front of the
 * app, with requests built from the spec (examples, else samples of its
 * schemas), as the admin; collects prism's request/response violations and
 * the answers that refuse a spec-valid request; compares `/openapi.json`
 * with the spec.
 */
export async function exerciseApp(options: ExerciseOptions): Promise<OracleReport> {
  const { spec, app } = options;
  // Prism takes seconds to start (a node process loading its validators): it starts now, while the
  // served document is fetched and the admin logs in (argon2), instead of after them.
  const prismStarting = startPrism(options.prismBin, options.specFile, `${app}${spec.basePath}`);
  // Marked handled here: a failed start is reported by the await below, not as an unhandled rejection.
  prismStarting.catch(() => undefined);
  let served: unknown;
  let token: string;
  try {
    served = await fetch(`${app}/openapi.json`).then(
      (r) => (r.ok ? r.json() : { status: r.status }),
      (e: unknown) => ({ error: String(e) }),
    );
    token = await login(app, spec, options.admin);
  } catch (error) {
    await prismStarting.then(
      (p) => p.stop(),
      () => undefined,
    );
    throw error;
  }
  const rootDiff = jsonDiff(spec.root, served);
  const servedSpecDiff =
    rootDiff.length === 0 ? [] : jsonDiff(spec.bundled, served).length === 0 ? [] : rootDiff;
  // The admin calls everything, except operations the spec gives to other roles: those are called
  // as a registered user when the spec lets `user` call them, else by the account options.accounts
  // has for one of their roles (an x-tenon-permissions list is taken as written: admin may be left out).
  const roleTokens = new Map<string, Promise<string>>();
  const tokenFor = (op: SpecOperation): Promise<string> => {
    if (!op.roles || op.roles.includes('admin')) return Promise.resolve(token);
    const role = op.roles.includes('user') ? 'user' : op.roles.find((r) => options.accounts?.[r]);
    if (role === undefined) return Promise.resolve(token);
    let roleToken = roleTokens.get(role);
    if (!roleToken) {
      roleToken =
        role === 'user'
          ? (async () => {
              const account = {
                email: `oracle-user-${Date.now()}@example.test`,
                password: options.admin.password,
              };
              await register(app, spec, account);
              return login(app, spec, account);
            })()
          : login(app, spec, options.accounts![role]!);
      roleTokens.set(role, roleToken);
    }
    return roleToken;
  };
  const prism = await prismStarting;
  const created: CreatedObjects = new Map();
  const operations: OperationOutcome[] = [];
  const unkeyed = new Set<string>();
  try {
    for (const op of callOrder(spec.operations)) {
      for (const request of requestsOf(op, spec, created, await tokenFor(op))) {
        const outcome = await send(prism.base, request);
        for (const [name, source] of Object.entries(request.idSources))
          if (source === 'unkeyed') unkeyed.add(`${op.method.toUpperCase()} ${op.path}: ${name}`);
        // The app answered 501 and prism mocked the operation instead (a mock answers a success: prism
        // picks the spec's first 2xx). An error without the id (an early refusal) still counts as the app's.
        const remocked =
          outcome.status >= 200 && outcome.status < 400 && !outcome.fromApp && !isPrismProblem(outcome.body);
        if (
          outcome.fromApp &&
          op.method === 'post' &&
          outcome.status >= 200 &&
          outcome.status < 300 &&
          outcome.body &&
          typeof outcome.body === 'object'
        ) {
          const list = created.get(op.path) ?? [];
          if (outcome.location) createdLocations.set(outcome.body, outcome.location);
          list.push(outcome.body);
          created.set(op.path, list);
        }
        // A request the oracle built can break the spec's own schema — a full body of the spec's
        // examples (train-travel's trip_id example is not a uuid), a sample of a oneOf that matches
        // two branches or none (Lago's charge properties): prism then faults the request. Such a
        // request is not spec-valid, so refusing it is right; its answer is still held to the spec.
        // (Bodies in other media types are prism's to misread, below.)
        const requestFaults =
          outcome.status !== 0 && (request.fullBody || request.variant === undefined)
            ? outcome.violations.filter((v) => v.location.startsWith('request'))
            : [];
        const invalid = requestFaults.length > 0;
        // A body in another media type than JSON (a form, multipart, XML) and an XML answer: prism cannot judge them.
        const unjudged = outcome.violations.filter(
          (v) =>
            (request.variant !== undefined &&
              !request.variant.startsWith('Accept') &&
              v.location.startsWith('request')) ||
            (/xml/i.test(outcome.contentType) && v.location.startsWith('response.body')),
        );
        operations.push({
          operationId: request.fullBody
            ? `${op.operationId} (full body)`
            : request.variant
              ? `${op.operationId} (${request.variant})`
              : op.operationId,
          method: request.method,
          path: op.path,
          status: outcome.status,
          violations: answerViolations(outcome.status, outcome.violations, request.idSources).filter(
            (v) => !requestFaults.includes(v) && !unjudged.includes(v),
          ),
          ...(unjudged.length
            ? {
                unvalidated: [
                  ...unjudged.map((v) => `${v.location} ${v.message}`),
                  ...(byPrism(outcome.body) ? [`prism answered ${outcome.status} itself`] : []),
                ],
              }
            : {}),
          // Prism itself refused (its problem+json) a body it could not judge: the app never saw it.
          refused:
            invalid || remocked || (unjudged.length > 0 && byPrism(outcome.body))
              ? undefined
              : refusal(outcome.status, request.idSources),
          notImplemented: outcome.status === 501 || remocked,
          ...(remocked ? { mockedByPrism: true } : {}),
          ...(invalid ? { invalidRequest: requestFaults.map((v) => `${v.location} ${v.message}`) } : {}),
        });
      }
    }
  } finally {
    await prism.stop();
  }
  const implemented = operations.filter((o) => !o.notImplemented);
  return {
    servedSpecDiff,
    operations,
    violations: implemented.reduce((n, o) => n + o.violations.length, 0) + (servedSpecDiff.length ? 1 : 0),
    refused: operations.filter((o) => o.refused).length,
    notImplemented: operations.length - implemented.length,
    unkeyed: [...unkeyed],
  };
}
