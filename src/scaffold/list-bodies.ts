import type { ResourceModel } from './api-model.js';
import type { SpecFiles } from './openapi-loader.js';
import { requestBodySchema } from './openapi-media.js';
import type { PathGroup } from './openapi-paths.js';
import { normalizeSchema } from './openapi-schema.js';

type GroupOperation = PathGroup['ops'][number];

/**
 * The create, update and patch operations of a resource whose JSON request body is a list
 * (kratos's `PATCH /admin/identities/{id}` takes a JSON Patch document, `[{ op, path, value }]`),
 * with why each is a handler of its own: such a body names no row's fields, and a CRUD route that
 * reads them refused every spec-valid request with 400.
 */
export function listBodyOperations(
  files: SpecFiles,
  group: PathGroup,
  resource: ResourceModel,
): { op: GroupOperation; why: { message: string; hint: string } }[] {
  const found: { op: GroupOperation; why: { message: string; hint: string } }[] = [];
  for (const op of group.ops) {
    if (!['create', 'update', 'patch'].includes(op.kind) || !resource.operations[op.kind]) continue;
    const declared = requestBodySchema(files, op.loc);
    if (!declared) continue;
    const type = normalizeSchema(files, declared).schema.type;
    const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== 'null');
    if (types.length !== 1 || types[0] !== 'array') continue;
    found.push({
      op,
      why: {
        message: `${op.method.toUpperCase()} ${op.custom.path} is a handler of its own (501 until written), not CRUD: its request body is a list (a JSON Patch document, or many rows), not the fields of one ${resource.name}.`,
        hint: 'Write it in src/operations/, where input.body is the list as declared.',
      },
    });
  }
  return found;
}
