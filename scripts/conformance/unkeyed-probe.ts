import { buildRequest, type OracleRequest } from './build-request.js';
import type { CreatedObjects } from './created-objects.js';
import type { send } from './send.js';
import type { Node, Spec, SpecOperation } from './spec-reader.js';

/** At most this many of a created object's values are tried as its key. */
const MAX_CANDIDATES = 20;

/**
 * The values of a created object (or of its envelope's `data`) that could be
 * the key of a path parameter of this schema: its text and number
 * properties, integers only for an integer key.
 */
export function keyCandidates(created: Node, schema: Node, spec: Spec): (string | number)[] {
  const type = spec.deref(schema)?.type;
  const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  const found = new Set<string | number>();
  for (const candidate of [created, created?.data]) {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) continue;
    for (const value of Object.values(candidate)) {
      if (integer ? Number.isInteger(value) : typeof value === 'string' || typeof value === 'number')
        found.add(value as string | number);
    }
  }
  return [...found].slice(0, MAX_CANDIDATES);
}

/** The answer of {@link probeUnkeyed}: whether the created row is found by one of its values. */
export type ProbeResult = 'reachable' | 'unreachable';

/**
 * Whether the row an earlier create made is served at an item path whose key
 * the spec does not say how to get ("unkeyed": no property of the key's name,
 * no link, no Location). The oracle sent the example or a sample there and got
 * 404; that is no refusal when the server keys the row by something else. So
 * the spec's GET of the same path is called with each value the created
 * object carries ({@link keyCandidates}), reads only: a 2xx for one of them
 * means the row is served by a key the spec leaves open (`reachable`); 404
 * for all means no key reaches the row a create answered for, and the 404
 * refuses a spec-valid request (`unreachable`). Undefined when it cannot
 * tell: no GET at the path, several unkeyed keys, nothing created.
 */
export async function probeUnkeyed(
  base: string,
  op: SpecOperation,
  request: OracleRequest,
  spec: Spec,
  created: CreatedObjects,
  token: string,
  sendRequest: typeof send,
): Promise<ProbeResult | undefined> {
  const unkeyed = Object.entries(request.idSources).filter(([, source]) => source === 'unkeyed');
  if (unkeyed.length !== 1) return undefined;
  const name = unkeyed[0]![0];
  const read = spec.operations.find((o) => o.method === 'get' && o.path === op.path);
  const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
  if (!read || !param) return undefined;
  const collection = op.path.slice(0, op.path.indexOf(`{${name}}`)).replace(/\/$/, '');
  const latest = created.get(collection)?.at(-1);
  const candidates = keyCandidates(latest, param.schema, spec);
  if (candidates.length === 0) return undefined;
  const template = buildRequest(read, spec, created, token);
  for (const value of candidates) {
    const path = read.path.replace(/\{([^}]+)\}/g, (_, p: string) =>
      encodeURIComponent(p === name ? String(value) : (template.pathValues?.[p] ?? '')),
    );
    const outcome = await sendRequest(base, { ...template, path });
    if (outcome.status >= 200 && outcome.status < 300) return 'reachable';
    // Anything but "not found" (a refusal, a server error) says nothing about the key: not judged here.
    if (outcome.status !== 404) return undefined;
  }
  return 'unreachable';
}
