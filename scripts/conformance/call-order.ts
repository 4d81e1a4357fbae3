import type { SpecOperation } from './spec-reader.js';

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
