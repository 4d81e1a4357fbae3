import type { ErrorFormats } from '../../scaffold/api-model.js';
import type { GenerateResult } from '../../scaffold/index.js';
import type { CliContext } from '../cli-context.js';
import { renderTable } from './table.js';

/** The `--json` report of `tenon new` / `tenon generate`. */
export function scaffoldJson(result: GenerateResult, installed: boolean) {
  const by = (action: string) => result.files.filter((f) => f.action === action).map((f) => f.path);
  return {
    dir: result.dir,
    name: result.name,
    framework: result.framework,
    dryRun: result.dryRun,
    installed,
    resources: result.resources,
    written: [...by('create'), ...by('update')],
    unchanged: by('unchanged'),
    skipped: by('skip'),
    deleted: by('delete'),
    orphaned: by('orphan'),
    conflicts: result.files
      .filter((f) => f.action === 'conflict')
      .map((f) => ({ path: f.path, newVersion: f.newVersionPath, reason: f.reason })),
    migrations: result.migrations,
    notImplemented: result.notImplemented,
    policy: result.policy,
    serving: {
      ...result.serving,
      // The error bodies by where the spec declares them; the mappings are in src/generated/error-format.ts.
      ...(result.serving.errors ? { errors: errorSchemas(result.serving.errors) } : {}),
    },
    warnings: result.warnings,
    files: result.files,
  };
}

/** The human report: what changed (not every unchanged file), conflicts, operations to implement. */
export function printScaffoldReport(ctx: CliContext, result: GenerateResult): void {
  const c = ctx.outColors;
  const counts = new Map<string, number>();
  for (const f of result.files) counts.set(f.action, (counts.get(f.action) ?? 0) + 1);
  // Unchanged files and user-owned files left alone are the normal case: counted, not listed.
  const shown = result.files.filter((f) => f.action !== 'unchanged' && f.action !== 'skip');
  // A brand-new project is all creates: the summary says it better than a list of every file.
  const allNew = result.files.every((f) => f.action === 'create');
  if (shown.length > 0 && !allNew) {
    const color = (action: string) =>
      action === 'conflict'
        ? c.red(action)
        : action === 'create' || action === 'update'
          ? c.green(action)
          : action;
    ctx.out(
      renderTable(
        ['action', 'file', 'why'],
        shown.map((f) => [
          color(f.action),
          f.newVersionPath ? `${f.path} → ${f.newVersionPath}` : f.path,
          f.reason,
        ]),
      ),
    );
  }
  const summary = ['create', 'update', 'unchanged', 'skip', 'conflict', 'delete', 'orphan']
    .filter((a) => counts.get(a))
    .map((a) => `${counts.get(a)} ${a}`)
    .join(', ');
  ctx.out(
    `\n${result.dryRun ? 'would write' : 'wrote'} ${result.name} (${result.framework}): ${result.resources.length} resource(s) [${result.resources.join(', ')}]; files: ${summary}\n`,
  );
  for (const m of result.migrations) ctx.out(`migration: ${m}\n`);
  const serving = result.serving;
  // Resource-DSL projects are tenon's conventions by definition; an OpenAPI project says how it is served.
  if (serving.mode === 'spec') {
    const schemas = serving.errors ? errorSchemas(serving.errors) : [];
    const errors = schemas.length
      ? `errors in its schema${schemas.length > 1 ? 's' : ''} (${schemas.map((e) => `${e.source}, ${e.contentType}`).join('; ')})`
      : 'errors as the envelope (the spec declares no error schema)';
    // A list answer tenon could not write as declared is said here too, not only in the warnings.
    const unserved = result.warnings.filter((w) => w.code === 'list-answer-not-served').length;
    const answers = unserved
      ? `its answers but ${unserved} list answer(s) in tenon's envelope (warning list-answer-not-served)`
      : 'its answers';
    ctx.out(
      `served as written: the spec's paths${serving.base ? ` under ${serving.base}` : ''}, ${answers}; ${errors}\n`,
    );
  }
  if (result.notImplemented.length > 0) {
    ctx.out('\noperations that answer 501 until you implement them:\n');
    ctx.out(
      renderTable(
        ['operation', 'route', 'handler file'],
        result.notImplemented.map((o) => [o.operationId, `${o.method} ${o.route}`, o.file]),
      ),
    );
  }
  const policy = result.policy;
  ctx.out(
    `\naccess policy (${policy.declared ? 'declared in the spec' : 'default: the spec gives no operation roles or scopes'}; roles: ${policy.roles.join(', ')}; anonymous: ${policy.rules.some((r) => r.public) ? 'the operations marked anyone, and ' : 'only '}/api/v1/auth, /health/live, /health/ready, /openapi.json):\n`,
  );
  ctx.out(
    renderTable(
      ['operation', 'route', 'permission', 'roles'],
      policy.rules.map((r) => [
        r.operationId,
        r.route,
        r.permission,
        // Scope rules: alternatives (|), each needing all of its grants (+).
        r.public
          ? 'anyone (security: [])'
          : `${r.anyOf ? r.anyOf.map((all) => (all.length ? all.join(' + ') : 'any signed-in caller')).join(' | ') : r.roles.join(', ')}${r.owned ? ` (own rows; all: ${policy.seeAll.join(', ')})` : ''}`,
      ]),
    ),
  );
  if (policy.keptSignedIn.length > 0)
    ctx.out(
      `signed-in callers only, although the spec opens them to anyone: ${policy.keptSignedIn.join(', ')} (they reach rows that belong to users: x-tenon-owner)\n`,
    );
  const { credentials } = policy;
  const where = [
    ...(credentials.basic ? ['Authorization: Basic base64(<user>:<token>)'] : []),
    ...credentials.headers.map((h) => `${h}: <token>`),
    ...credentials.query.map((q) => `?${q}=<token>`),
    // A cookie authenticates POST, PUT, PATCH and DELETE only with X-Requested-With (CSRF).
    ...credentials.cookies.map((c) => `Cookie: ${c}=<token> (+ X-Requested-With to change data)`),
  ];
  if (where.length > 0)
    ctx.out(
      `access tokens: Authorization: Bearer <token>${where.map((w) => `, ${w}`).join('')} (the spec's security schemes)\n`,
    );
  for (const w of result.warnings)
    ctx.err(
      ctx.colors.yellow(
        `warning${w.code ? ` ${w.code}` : ''}: ${w.at}: ${w.message}\n${w.hint ? `  hint: ${w.hint}\n` : ''}`,
      ),
    );
  const conflicts = counts.get('conflict') ?? 0;
  if (conflicts > 0) {
    ctx.err(
      ctx.colors.yellow(
        `${conflicts} file(s) you edited were left as they are; merge the .tenon-new version beside each, then delete it.\n`,
      ),
    );
  }
}

/** The spec's error schemas the project answers in, the most used first. */
function errorSchemas(errors: ErrorFormats): { source: string; contentType: string }[] {
  const order = [errors.fallback, ...errors.formats.keys()].filter(
    (i, n, all) => i >= 0 && all.indexOf(i) === n,
  );
  return order.map((i) => ({
    source: errors.formats[i]!.source,
    contentType: errors.formats[i]!.contentType,
  }));
}
