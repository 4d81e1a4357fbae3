/**
 * What a route does, attached to every generated route. The access layer
 * (authentication, roles, permissions) decides from it; `permission` is
 * `<resource>:<action>`, e.g. `products:create`.
 */
export interface OperationInfo {
  operationId: string;
  resource?: string;
  action: 'list' | 'read' | 'create' | 'update' | 'delete' | 'custom';
  permission: string;
}

/**
 * Who is calling, as the data layer sees it. `ownerId` scopes queries of
 * owned resources (`x-tenon-owner`) to the caller's rows; undefined means
 * not scoped.
 */
export interface DataScope {
  ownerId?: number | string;
  /** The authenticated caller: new rows of owned resources belong to them. */
  userId?: number | string;
}

/** The scope for requests before an access layer sets one: unscoped. */
export const UNSCOPED: DataScope = Object.freeze({});
