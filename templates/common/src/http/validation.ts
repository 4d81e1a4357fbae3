import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { UNCHECKED_FORMATS } from '../generated/formats.js';
import { type AppError, type ErrorDetail, invalidRequest } from './errors.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function create(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // Bodies are JSON and must have the declared types; query strings and path
    // parameters are text, so "5" becomes 5 there and nowhere else.
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
  });
  addFormats(ajv);
  // The spec's own formats, found at generation: annotations, so ajv neither refuses nor warns about them.
  for (const format of UNCHECKED_FORMATS) if (!(format in ajv.formats)) ajv.addFormat(format, true);
  return ajv;
}

/** For params and query strings: types coerced from text, defaults applied. */
export const queryAjv = create(true);
/** For JSON bodies: no coercion, unknown properties refused by the schemas. */
export const bodyAjv = create(false);

/** Compiles a schema for one part of the request. */
export function compileFor(part: string, schema: object): ValidateFunction {
  return (part === 'body' ? bodyAjv : queryAjv).compile(schema);
}

function describe(error: ErrorObject): { field: string; message: string } {
  const path = error.instancePath.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return { field: [...path, String(p.missingProperty)].join('.'), message: 'is required' };
  if (error.keyword === 'additionalProperties') {
    return { field: [...path, String(p.additionalProperty)].join('.'), message: 'is not an accepted field' };
  }
  if (error.keyword === 'enum') {
    return { field: path.join('.'), message: `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}` };
  }
  return { field: path.join('.'), message: error.message ?? 'is invalid' };
}

/** The 400 of an invalid request part, its details capped (`invalidRequest`). */
export function validationFailed(part: string, errors: readonly ErrorObject[] | null | undefined): AppError {
  return invalidRequest(toDetails(part, errors));
}

/** ajv errors as the envelope's per-field details (all of them: {@link validationFailed} caps the answer). */
export function toDetails(part: string, errors: readonly ErrorObject[] | null | undefined): ErrorDetail[] {
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const error of errors ?? []) {
    const d = describe(error);
    const key = `${d.field}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ in: part, ...d });
  }
  return out;
}
