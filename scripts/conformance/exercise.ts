import { startAppTap } from './app-tap.js';
import { callOrder } from './call-order.js';
import { type CreatedObjects, createdLocations } from './created-objects.js';
import { jsonDiff } from './json-diff.js';
import { login, register } from './login.js';
import { startPrism } from './prism.js';
import { byPrism, isPrismProblem, refusedByPrism } from './prism-answer.js';
import { answerViolations, refusal } from './refusal.js';
import { requestsOf } from './requests-of.js';
import { send, type Violation } from './send.js';
import type { Spec, SpecOperation } from './spec-reader.js';
import { probeUnkeyed } from './unkeyed-probe.js';

/** What happened to one operation. */
export interface OperationOutcome {
  operationId: string;
  method: string;
  path: string;
  /** The HTTP status, or 0 when the request failed before an answer. */
  status: number;
  violations: Violation[];
  /**
   * Why the answer counts as refusing a spec-valid request (400, 401, 403, 404 on a known key or
   * for a created row none of its values finds, 5xx…).
   */
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
  /**
   * Prism answered a 4xx itself and never forwarded the request (prism-answer.ts): not the app's
   * refusal, and not its answer; counted apart ({@link OracleReport.prismRefused}) and shown in the table.
   */
  prismRefused?: true;
}

/** The oracle's verdict on one running app. */
export interface OracleReport {
  /** Differences between the spec and the `/openapi.json` the app serves (JSON pointers), empty when equal. */
  servedSpecDiff: string[];
  operations: OperationOutcome[];
  /** Violations of implemented operations, plus one when the served spec differs. */
  violations: number;
  refused: number;
  /** Requests prism refused itself without forwarding them ({@link OperationOutcome.prismRefused}): not the app's answers. */
  prismRefused?: number;
  notImplemented: number;
  /**
   * Path keys a create answered for, whose value its answer does not give
   * as the spec declares (no property of the key's name, no link, no
   * Location header): `GET /menu/{menuItemId}: menuItemId`. Sent as the
   * example or a sample instead of a guessed `id`; a 404 there is a refusal
   * only when none of the created row's values finds it (see probeUnkeyed).
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
  /**
   * Access tokens by role (`admin`, `user`, the roles of {@link rolesToGrant}) signed in through
   * the project's auth service, when the spec declares tenon's sign-in route itself (sign-in.ts):
   * used instead of logging in over HTTP.
   */
  tokens?: Record<string, string>;
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
  // Prism talks to the app through a tap that notes the app's own status of each request: a 501
  // prism replaced with a mock is then known as such, whatever status the mock has.
  const tap = await startAppTap(app);
  const prismStarting = startPrism(options.prismBin, options.specFile, `${tap.base}${spec.basePath}`);
  // Marked handled here: a failed start is reported by the await below, not as an unhandled rejection.
  prismStarting.catch(() => undefined);
  let served: unknown;
  let token: string;
  try {
    served = await fetch(`${app}/openapi.json`).then(
      (r) => (r.ok ? r.json() : { status: r.status }),
      (e: unknown) => ({ error: String(e) }),
    );
    token = options.tokens?.admin ?? (await login(app, spec, options.admin));
  } catch (error) {
    await prismStarting.then(
      (p) => p.stop(),
      () => undefined,
    );
    await tap.stop();
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
    const minted = options.tokens?.[role];
    if (minted) return Promise.resolve(minted);
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
  const prism = await prismStarting.catch(async (error: unknown) => {
    await tap.stop();
    throw error;
  });
  const created: CreatedObjects = new Map();
  const operations: OperationOutcome[] = [];
  const unkeyed = new Set<string>();
  try {
    for (const op of callOrder(spec.operations)) {
      const opToken = await tokenFor(op);
      for (const request of requestsOf(op, spec, created, opToken)) {
        const outcome = await send(prism.base, request);
        // A 404 where the oracle could not know the key: is the created row served by any of its values?
        const probed =
          outcome.fromApp && outcome.status === 404
            ? await probeUnkeyed(prism.base, op, request, spec, created, opToken, send)
            : undefined;
        for (const [name, source] of Object.entries(request.idSources))
          if (source === 'unkeyed') unkeyed.add(`${op.method.toUpperCase()} ${op.path}: ${name}`);
        // The app answered 501 and prism mocked the operation instead: the tap saw the app's 501, and
        // the answer is prism's mock — a success (the spec's first 2xx), or the spec's 4xx example when
        // prism finds the request invalid (hanko's handlers). Its status and violations are the mock's.
        // Without the tap's word (its request never reached the app), a success without the id is a mock too.
        const afterApp501 = !outcome.fromApp && tap.statusOf(outcome.requestId) === 501;
        const remocked =
          afterApp501 ||
          (outcome.status >= 200 &&
            outcome.status < 400 &&
            !outcome.fromApp &&
            !isPrismProblem(outcome.body));
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
        // Prism refused the request itself (a 4xx without our X-Request-Id: its problem+json, or the
        // spec's 4xx example for a body it judged invalid): the app never saw it, so it is neither
        // the app's refusal nor its answer (listmonk's form bodies, kratos's discriminated bodies).
        const prismRefused = !afterApp501 && refusedByPrism(outcome);
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
          ...(unjudged.length || prismRefused
            ? {
                unvalidated: [
                  ...unjudged.map((v) => `${v.location} ${v.message}`),
                  ...(prismRefused || byPrism(outcome.body)
                    ? [`prism answered ${outcome.status} itself`]
                    : []),
                ],
              }
            : {}),
          // Prism itself refused (its problem+json) a body it could not judge: the app never saw it.
          refused:
            invalid || remocked || prismRefused || (unjudged.length > 0 && byPrism(outcome.body))
              ? undefined
              : refusal(outcome.status, request.idSources, probed),
          notImplemented: outcome.status === 501 || remocked,
          ...(remocked ? { mockedByPrism: true } : {}),
          ...(prismRefused ? { prismRefused: true } : {}),
          ...(invalid ? { invalidRequest: requestFaults.map((v) => `${v.location} ${v.message}`) } : {}),
        });
      }
    }
  } finally {
    await prism.stop();
    await tap.stop();
  }
  const implemented = operations.filter((o) => !o.notImplemented);
  return {
    servedSpecDiff,
    operations,
    violations: implemented.reduce((n, o) => n + o.violations.length, 0) + (servedSpecDiff.length ? 1 : 0),
    refused: operations.filter((o) => o.refused).length,
    prismRefused: operations.filter((o) => o.prismRefused).length,
    notImplemented: operations.length - implemented.length,
    unkeyed: [...unkeyed],
  };
}
