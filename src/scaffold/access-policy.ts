import { TenonError } from '../core/errors.js';
import type { ApiModel, CrudOperations } from './api-model.js';
import { toPascal } from './naming.js';
import { resourceRoutes } from './resource-routes.js';

/** Who may call one operation. */
export interface AccessRule {
  operationId: string;
  /** `<resource>:<action>` (`products:create`) or `operations:<operationId>`. */
  permission: string;
  /** `GET /api/v1/products/:id`. */
  route: string;
  roles: string[];
  /**
   * From security requirements: alternatives, each needing all of its grants
   * (a role or scopes); `roles` then lists those that pass on their own.
   */
  anyOf?: string[][];
  /** The resource has `x-tenon-owner`: roles outside `seeAll` only reach their own rows. */
  owned: boolean;
  /**
   * The spec opens the operation to anonymous callers (`security: []`): anyone may call it; an
   * anonymous caller owns no rows, so it reaches no row of an owned resource through a reference.
   */
  public?: boolean;
}

/** The access policy of a generated project, printed in the generation report. */
export interface AccessPolicy {
  roles: string[];
  /** Roles that see every row of owned resources. */
  seeAll: string[];
  /** Names in security requirements, granted next to a role (`npm run grant`). */
  scopes: string[];
  /** True when the spec declared permissions; false for the default policy. */
  declared: boolean;
  /** Where the access token is accepted besides `Authorization: Bearer` (the spec's basic and apiKey schemes). */
  credentials: { basic: boolean; headers: string[]; query: string[]; cookies: string[] };
  rules: AccessRule[];
  /**
   * Operations the spec opens to anonymous callers that are kept for signed-in callers: those of
   * resources whose rows belong to users (`x-tenon-owner`), and writes of resources that refer to
   * such rows — an anonymous caller owns none, so each would only be refused row by row.
   */
  keptSignedIn: string[];
}

/** The roles every project has. */
export const DEFAULT_ROLES = ['admin', 'user'] as const;

const ACTIONS: Record<keyof CrudOperations, 'list' | 'read' | 'create' | 'update' | 'delete'> = {
  list: 'list',
  read: 'read',
  create: 'create',
  update: 'update',
  patch: 'update',
  delete: 'delete',
};
/** The HTTP method of each CRUD operation. */
export const CRUD_METHODS: Record<keyof CrudOperations, string> = {
  list: 'GET',
  read: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
};

/** The operationId of a CRUD operation: the spec's, or the name tenon gives it. */
export function crudOperationId(
  resource: { name: string; plural: string; operationIds?: Partial<Record<keyof CrudOperations, string>> },
  kind: keyof CrudOperations,
): string {
  const plural = toPascal(resource.plural);
  const defaults: Record<keyof CrudOperations, string> = {
    list: `list${plural}`,
    create: `create${resource.name}`,
    read: `get${resource.name}`,
    update: `replace${resource.name}`,
    patch: `update${resource.name}`,
    delete: `delete${resource.name}`,
  };
  return resource.operationIds?.[kind] ?? defaults[kind];
}

/**
 * The policy of a model. Without declarations (`x-tenon-permissions`,
 * operation-level `x-tenon-permissions` or security scopes) it is the
 * default: `user` reads catalogue resources and does everything on owned
 * ones (their own rows), `admin` does everything; custom GET operations are
 * for both, other custom operations for `admin`. Operations the spec gives
 * no rule (no `x-tenon-permissions`, no security scopes of their own nor
 * at the root) keep that default, unless the root declares a
 * `x-tenon-permissions` map: then every operation needs a rule.
 *
 * @throws TenonError `TENON_SCAFFOLD_PERMISSION_MISSING` naming an operation without a rule,
 *   `TENON_SCAFFOLD_ROLE_UNKNOWN` for a role that is not declared.
 */
export function accessPolicy(model: ApiModel): AccessPolicy {
  const declaredRoles = model.access?.roles ?? [];
  const roles = [...new Set<string>([...DEFAULT_ROLES, ...declaredRoles])];
  const rootRules = model.access?.permissions ?? {};
  const declared =
    Object.keys(rootRules).length > 0 ||
    model.resources.some((r) => Object.keys(r.operationRoles ?? {}).length > 0) ||
    model.operations.some((o) => o.roles !== undefined);
  // A root map is the whole policy; scopes or rules on some operations only are not.
  const strict = Object.keys(rootRules).length > 0;
  const rules: AccessRule[] = [];
  const pick = (
    operationId: string,
    permission: string,
    own: string[] | undefined,
    fallback: string[],
    at: string,
    open = false,
  ) => {
    if (!declared) return fallback;
    const found = own ?? rootRules[operationId] ?? rootRules[permission];
    // A public operation needs no rule: the roles only say what signed-in callers hold anyway.
    if (!found && (!strict || open)) return fallback;
    if (!found) {
      throw new TenonError(
        'TENON_SCAFFOLD_PERMISSION_MISSING',
        `Operation ${operationId} (${at}) has no access rule, and the spec declares permissions.`,
        {
          hint: `Give it x-tenon-permissions: [role, …] on the operation, or list "${operationId}" or "${permission}" under x-tenon-permissions at the document root.`,
          details: { operationId, permission },
        },
      );
    }
    for (const role of found) {
      if (!roles.includes(role)) {
        throw new TenonError(
          'TENON_SCAFFOLD_ROLE_UNKNOWN',
          `Operation ${operationId} (${at}) allows the role "${role}", which is not declared.`,
          {
            hint: `Declare it at the document root: x-tenon-roles: [${[...declaredRoles, role].join(', ')}] (admin and user always exist).`,
            details: { operationId, role },
          },
        );
      }
    }
    return [...new Set(found)];
  };
  // Scope rules: the roles that pass alone are those an alternative needs nothing else than.
  const withScopes = (rule: AccessRule, anyOf: string[][] | undefined): AccessRule => {
    if (!anyOf) return rule;
    const alone = roles.filter((role) => anyOf.some((all) => all.every((g) => g === role)));
    return { ...rule, roles: alone, anyOf };
  };
  const keptSignedIn: string[] = [];
  const ownedNames = new Set(model.resources.filter((r) => r.owned).map((r) => r.name));
  for (const r of model.resources) {
    for (const kind of Object.keys(CRUD_METHODS) as (keyof CrudOperations)[]) {
      if (!r.operations[kind]) continue;
      const action = ACTIONS[kind];
      const operationId = crudOperationId(r, kind);
      const permission = `${r.plural}:${action}`;
      const paths = resourceRoutes(r);
      const route = `${CRUD_METHODS[kind]} ${kind === 'list' || kind === 'create' ? paths.collection : paths.item}`;
      const fallback = r.owned || action === 'list' || action === 'read' ? ['admin', 'user'] : ['admin'];
      const open = r.publicOperations?.includes(kind) === true;
      // Rows of users are out of an anonymous caller's reach: an owned resource, or a write that
      // would have to name a user's row, can only be refused row by row. Kept for signed-in callers.
      const refersToOwned =
        kind !== 'list' &&
        kind !== 'read' &&
        kind !== 'delete' &&
        r.fields.some((f) => f.ref && ownedNames.has(f.ref));
      if (open && (r.owned || refersToOwned)) keptSignedIn.push(operationId);
      const rule: AccessRule = {
        operationId,
        permission,
        route,
        roles: pick(operationId, permission, r.operationRoles?.[kind], fallback, route, open),
        owned: r.owned,
        ...(open && !r.owned && !refersToOwned ? { public: true } : {}),
      };
      rules.push(withScopes(rule, r.operationScopes?.[kind]));
    }
  }
  for (const op of model.operations) {
    const permission = `operations:${op.operationId}`;
    const route = `${op.method.toUpperCase()} ${op.route}`;
    const fallback = op.method === 'get' ? ['admin', 'user'] : ['admin'];
    const rule: AccessRule = {
      operationId: op.operationId,
      permission,
      route,
      roles: pick(op.operationId, permission, op.roles, fallback, route, op.public),
      owned: false,
      ...(op.public ? { public: true } : {}),
    };
    rules.push(withScopes(rule, op.scopes));
  }
  const scopes = [...new Set(rules.flatMap((r) => (r.anyOf ?? []).flat()))].filter((s) => s !== 'admin');
  const credentials = model.access?.credentials ?? { basic: false, headers: [], query: [], cookies: [] };
  return { roles, scopes, seeAll: ['admin'], declared, credentials, rules, keptSignedIn };
}
