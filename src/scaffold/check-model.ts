import { TenonError } from '../core/errors.js';
import type { ApiModel, FieldModel, ModelWarning, ResourceModel } from './api-model.js';
import {
  FORBIDDEN_FIELD_NAMES,
  RESERVED_TABLES,
  SYSTEM_COLUMNS,
  singularize,
  TS_RESERVED_TYPE_NAMES,
  toPascal,
} from './naming.js';

/** Query parameters of the list endpoint; a field with one of these names cannot also be a filter. */
export const LIST_PARAMETERS = new Set(['page', 'limit', 'sort', 'cursor', 'include']);

function nameError(at: string, message: string, hint: string): TenonError {
  return new TenonError('TENON_SCAFFOLD_NAME_INVALID', `${at}: ${message}`, { hint, details: { at } });
}

/** Finds a resource by a name as users write it: `Product`, `product`, `products`. */
export function findResource(resources: readonly ResourceModel[], name: string): ResourceModel | undefined {
  const wanted = [toPascal(name), toPascal(singularize(name))];
  return resources.find((r) => wanted.includes(r.name) || r.plural === name || r.table === name);
}

/** The fields of {@link linkReferences}' input that may be foreign keys. */
export interface ReferenceCandidate {
  field: FieldModel;
  refHint?: string;
  refExplicit: boolean;
  system?: string;
}

/**
 * Turns `x-tenon-ref` and `<resource>Id` fields into foreign keys once all
 * resources are known. An explicit reference to an unknown resource is an
 * error; a guessed one that does not match stays a plain field.
 */
export function linkReferences(
  resources: ResourceModel[],
  candidates: ReferenceCandidate[][],
  warnings: ModelWarning[],
  noteGuesses = false,
): void {
  resources.forEach((resource, i) => {
    const guessed: string[] = [];
    for (const c of candidates[i] ?? []) {
      if (!c.refHint || c.system) continue;
      const target = findResource(resources, c.refHint);
      const at = `${resource.source} (${resource.name}.${c.field.name})`;
      if (!target) {
        if (c.refExplicit) {
          throw new TenonError(
            'TENON_SCAFFOLD_SPEC_INVALID',
            `${at}: refers to "${c.refHint}", which is not a resource.`,
            {
              hint: `Known resources: ${resources.map((r) => r.name).join(', ') || 'none'}.`,
              details: { at },
            },
          );
        }
        continue;
      }
      const compatible =
        target.idKind === 'uuid'
          ? c.field.kind === 'uuid'
          : target.idKind === 'text'
            ? c.field.kind === 'string'
            : c.field.kind === 'integer' || c.field.kind === 'bigint';
      if (!compatible) {
        const message = `${c.field.name} looks like a reference to ${target.name}, but ${target.name}'s id is ${target.idKind === 'uuid' ? 'a uuid' : target.idKind === 'text' ? 'a string' : 'an integer'}`;
        if (c.refExplicit) {
          throw new TenonError('TENON_SCAFFOLD_SPEC_INVALID', `${at}: ${message}.`, {
            hint: 'Give the field the same type as the id it refers to.',
            details: { at },
          });
        }
        warnings.push({ at, message: `${message}; it stays a plain field.` });
        continue;
      }
      c.field.ref = target.name;
      // A reference names an existing row: never a new uuid of the database's.
      delete c.field.serverDefault;
      c.field.kind = target.idKind === 'uuid' ? 'uuid' : target.idKind === 'text' ? 'string' : 'bigint';
      c.field.indexed = true;
      if (!c.refExplicit) guessed.push(`${c.field.name} → ${target.name}`);
    }
    // A spec says nothing of foreign keys: one read from a name is tenon's guess, and it refuses
    // writes (a create naming a row that does not exist) that the spec may mean to take.
    if (noteGuesses && guessed.length > 0)
      warnings.push({
        at: resource.source,
        code: 'reference-guessed',
        message: `${resource.name}: ${guessed.join(', ')} ${guessed.length === 1 ? 'is a foreign key' : 'are foreign keys'} read from the name: a create or change naming a row that does not exist answers 400, and deleting a row still referenced answers 409.`,
        hint: 'Mark the property `x-tenon-ref: false` to keep a plain column, or `x-tenon-ref: <Resource>` to name the target.',
      });
  });
}

/** Beyond this many renamed properties in one resource, one warning says it for them all. */
const MAX_RENAMED_WARNINGS = 5;

/**
 * Checks the names of one resource: reserved words, collisions after case
 * conversion with `others` (the resources already accepted), system columns.
 * Fields named like list parameters lose their filter (with a warning).
 *
 * @throws TenonError `TENON_SCAFFOLD_NAME_INVALID` when a name cannot work.
 */
export function checkResource(
  r: ResourceModel,
  others: readonly ResourceModel[],
  warnings: ModelWarning[],
): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(r.name)) {
    throw nameError(
      r.source,
      `"${r.name}" is not a usable resource name.`,
      'Use letters and digits, starting with a letter.',
    );
  }
  if (TS_RESERVED_TYPE_NAMES.has(r.name.toLowerCase())) {
    throw nameError(
      r.source,
      `the resource name "${r.name}" is a TypeScript reserved word or built-in type.`,
      'Rename it (with x-tenon-resource in a spec, or in --resources), e.g. "Event" instead of "Date".',
    );
  }
  for (const other of others) {
    for (const [what, a, b] of [
      ['name', other.name.toLowerCase(), r.name.toLowerCase()],
      ['table', other.table, r.table],
      ['path', other.plural.toLowerCase(), r.plural.toLowerCase()],
    ] as const) {
      if (a !== b) continue;
      const path = (x: ResourceModel) => x.specPaths?.collection ?? x.specPaths?.item ?? x.plural;
      throw nameError(
        r.source,
        `resources ${other.name} (${path(other)}) and ${r.name} (${path(r)}) have the same ${what} "${b}" after case conversion.`,
        'Give one schema x-tenon-resource / x-tenon-table, or use separate schemas.',
      );
    }
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(r.table) || RESERVED_TABLES.has(r.table)) {
    throw nameError(
      r.source,
      `"${r.table}" cannot be a table name.`,
      'Use lower-case letters, digits and _ (x-tenon-table), and not tenon_migrations.',
    );
  }
  const columns = new Map<string, FieldModel>();
  // Properties whose JSON names are not identifiers: one warning each, or one for them all when
  // there are many (listmonk's language pack has 560: the report was nothing but these lines).
  const renamed: FieldModel[] = [];
  for (const f of r.fields) {
    const at = `${r.source} (${r.name}.${f.name})`;
    if (FORBIDDEN_FIELD_NAMES.has(f.name)) {
      throw nameError(
        at,
        `"${f.name}" is not a usable field name.`,
        'Rename it: __proto__, constructor, prototype and hasOwnProperty break plain objects.',
      );
    }
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(f.column)) {
      throw nameError(
        at,
        `"${f.column}" is not a usable column name.`,
        'Use x-tenon-column with lower-case letters, digits and _.',
      );
    }
    if (SYSTEM_COLUMNS.has(f.column) || (r.owned && f.column === 'owner_id')) {
      throw nameError(
        at,
        `the column "${f.column}" is managed by the generated project.`,
        'Rename the field; id, created_at and updated_at are added to every table, and owner_id to owned ones.',
      );
    }
    const other = columns.get(f.column);
    if (other) {
      throw nameError(
        at,
        `fields "${other.name}" and "${f.name}" both become the column "${f.column}".`,
        'Rename one of them, or give one an x-tenon-column.',
      );
    }
    columns.set(f.column, f);
    // Any JSON name works on the wire (generated code quotes it); the column is a safe one.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) renamed.push(f);
    if (LIST_PARAMETERS.has(f.name) && f.filterable) {
      f.filterable = false;
      warnings.push({
        at,
        message: `"${f.name}" is also a list parameter, so it cannot be used as a filter.`,
      });
    }
  }
  if (renamed.length > MAX_RENAMED_WARNINGS) {
    const some = renamed.slice(0, 3).map((f) => `"${f.name}" → ${f.column}`);
    warnings.push({
      at: r.source,
      message: `${r.name}: ${renamed.length} properties whose JSON names are not identifiers are stored in columns named after them (${some.join(', ')}, …); their JSON names are kept.`,
    });
  } else
    for (const f of renamed)
      warnings.push({
        at: `${r.source} (${r.name}.${f.name})`,
        message: `${r.name}["${f.name}"] is stored in the column ${f.column}; its JSON name is kept.`,
      });
}

/**
 * Checks names across the model: every resource ({@link checkResource}) and
 * the operations' handler names.
 *
 * @throws TenonError `TENON_SCAFFOLD_NAME_INVALID`
 */
export function checkModel(model: ApiModel, warnings: ModelWarning[] = []): void {
  model.resources.forEach((r, i) => {
    checkResource(r, model.resources.slice(0, i), warnings);
  });
  const handlers = new Map<string, string>();
  for (const op of model.operations) {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(op.handler)) {
      throw nameError(
        `${op.method.toUpperCase()} ${op.specPath}`,
        `operationId "${op.operationId}" cannot be a function name.`,
        'Use letters and digits in operationId.',
      );
    }
    if (TS_RESERVED_TYPE_NAMES.has(op.handler.toLowerCase())) op.handler = `${op.handler}Operation`;
    const other = handlers.get(op.handler.toLowerCase());
    if (other) {
      throw nameError(
        `${op.method.toUpperCase()} ${op.specPath}`,
        `operationId "${op.operationId}" collides with "${other}" after case conversion.`,
        'Give every operation a distinct operationId.',
      );
    }
    handlers.set(op.handler.toLowerCase(), op.operationId);
  }
}
