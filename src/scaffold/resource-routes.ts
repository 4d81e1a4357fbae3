import type { ResourceModel } from './api-model.js';
import { routeParam } from './route-params.js';

/** The routes of a resource: the spec's own paths, or `/api/v1/<plural>` by tenon's conventions. */
export function resourceRoutes(r: ResourceModel): { collection: string; item: string; key: string } {
  const key = r.served?.key ?? 'id';
  if (!r.served) return { collection: `/api/v1/${r.plural}`, item: `/api/v1/${r.plural}/:id`, key };
  const item = r.served.item ?? `${r.served.collection}/:${routeParam(key)}`;
  const collection = r.served.collection ?? item.slice(0, item.lastIndexOf('/'));
  return { collection, item, key };
}
