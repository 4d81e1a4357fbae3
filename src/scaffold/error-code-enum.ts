import type { ErrorValue } from './api-model.js';
import { APP_ERROR_CODES } from './app-error-codes.js';
import { words } from './naming.js';

/** How well an enum value names a code: an exact spelling wins, then the share of its words that fit. */
function score(value: string, code: keyof typeof APP_ERROR_CODES): number {
  const own = words(value);
  if (own.join('_') === code.toLowerCase()) return 100;
  const fits: readonly string[] = APP_ERROR_CODES[code];
  return own.filter((w) => fits.includes(w)).length / Math.max(own.length, 1);
}

/**
 * The value of an error `code` property the spec limits to an enum: for each of the generated app's
 * codes the enum value that names it best, the first value for the rest (`otherwise`). Every value
 * comes from the enum, so the body still satisfies the schema whichever code the app raises.
 */
export function enumCodeValue(values: readonly unknown[]): ErrorValue {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const byCode: Record<string, unknown> = {};
  for (const code of Object.keys(APP_ERROR_CODES) as (keyof typeof APP_ERROR_CODES)[]) {
    let best: string | undefined;
    let bestScore = 0;
    for (const v of strings) {
      const s = score(v, code);
      if (s > bestScore) [best, bestScore] = [v, s];
    }
    if (best !== undefined) byCode[code] = best;
  }
  return Object.keys(byCode).length > 0 ? { byCode, otherwise: values[0] } : { value: values[0] };
}
