import type { FieldModel, ModelWarning, ResourceModel } from './api-model.js';

/**
 * Server-made ids that satisfy the `pattern` the spec declares for a string
 * id (`^prd_[0-9a-z]{26}$`). The pattern is read as a sequence of literal
 * characters and character classes with a bounded repeat; each class's
 * alphabet is found by testing the printable ASCII characters against it, so
 * the generated project draws ids from plain data with `crypto.randomInt`
 * and needs no regular-expression sampler of its own.
 */

/** One part of an id: a literal text, or `count` characters drawn from `alphabet`. */
export type IdPart = string | { alphabet: string; count: number };

/** How ids are made for a pattern, or why they cannot be (the user writes them). */
export type IdGenerator = { parts: IdPart[]; bits: number } | { reason: string };

/** Below this many random bits, two ids collide too soon for a primary key (birthday bound ~2^32 rows). */
export const MIN_ID_BITS = 64;

/** Unbounded repeats (`+`, `*`) are drawn this many times: enough bits for any alphabet of 16 or more. */
const UNBOUNDED = 24;

const PRINTABLE = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i));

/** The characters of one class (`[a-z0-9]`, `\d`, `.`) among the printable ASCII ones. */
function alphabetOf(token: string): string {
  const re = new RegExp(`^${token}$`, 'u');
  return PRINTABLE.filter((c) => re.test(c)).join('');
}

/** The next atom of a pattern at `i`: a class or a literal character, and where it ends. */
function atom(pattern: string, i: number): { token: string; literal?: string; end: number } | undefined {
  const c = pattern[i]!;
  if (c === '[') {
    let j = i + 1;
    while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
    return j < pattern.length ? { token: pattern.slice(i, j + 1), end: j + 1 } : undefined;
  }
  if (c === '\\') {
    const e = pattern[i + 1];
    if (e === undefined) return undefined;
    if (/[dwsDWS]/.test(e)) return { token: `\\${e}`, end: i + 2 };
    if (/[\\/^$.|?*+()[\]{}-]/.test(e)) return { token: `\\${e}`, literal: e, end: i + 2 };
    return undefined;
  }
  if (c === '.') return { token: '.', end: i + 1 };
  if (/[()|?*+{}^$]/.test(c)) return undefined;
  return { token: c, literal: c, end: i + 1 };
}

/** The repeat after an atom (`{26}`, `{8,12}`, `+`): how many to draw, or undefined for a form not read. */
function repeat(pattern: string, i: number): { count: number; min: number; end: number } | undefined {
  const rest = pattern.slice(i);
  const braces = /^\{(\d+)(?:,(\d*))?\}/.exec(rest);
  if (braces) {
    const min = Number(braces[1]);
    const max =
      braces[2] === undefined ? min : braces[2] === '' ? Math.max(min, UNBOUNDED) : Number(braces[2]);
    return max < min ? undefined : { count: max, min, end: i + braces[0].length };
  }
  if (rest[0] === '+') return { count: UNBOUNDED, min: 1, end: i + 1 };
  if (rest[0] === '*') return { count: UNBOUNDED, min: 0, end: i + 1 };
  return { count: 1, min: 1, end: i };
}

/**
 * Reads a string id's pattern into the parts an id is made of. Refuses
 * (with the reason) patterns outside the form read here — alternatives,
 * groups, lookarounds, unanchored ones — and those whose ids would carry
 * fewer than {@link MIN_ID_BITS} random bits, so could not stay unique.
 */
export function idGenerator(pattern: string): IdGenerator {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$'))
    return { reason: 'it is not anchored at both ends (^…$)' };
  const body = pattern.slice(1, -1);
  const parts: IdPart[] = [];
  let bits = 0;
  let i = 0;
  while (i < body.length) {
    const a = atom(body, i);
    if (!a)
      return { reason: `tenon reads literals and character classes with a repeat, not "${body.slice(i)}"` };
    const r = repeat(body, a.end);
    if (!r) return { reason: `the repeat after ${a.token} is not one tenon reads` };
    i = r.end;
    if (a.literal !== undefined) {
      if (r.min !== r.count) return { reason: `the literal ${a.literal} has a variable repeat` };
      parts.push(a.literal.repeat(r.count));
      continue;
    }
    const alphabet = alphabetOf(a.token);
    if (alphabet.length === 0) return { reason: `${a.token} matches no printable character` };
    parts.push({ alphabet, count: r.count });
    bits += r.count * Math.log2(alphabet.length);
  }
  if (bits < MIN_ID_BITS)
    return {
      reason: `its ids carry ${Math.floor(bits)} random bits, fewer than the ${MIN_ID_BITS} a unique key needs`,
    };
  // What is made must match what is declared (a class tenon misread would show here).
  const sample = parts.map((p) => (typeof p === 'string' ? p : p.alphabet[0]!.repeat(p.count))).join('');
  if (!new RegExp(pattern, 'u').test(sample)) return { reason: 'the ids tenon would make do not match it' };
  return { parts, bits };
}

/**
 * Keeps a string id's declared pattern on the resource (`idPattern`: the id
 * is validated by it and made to match it), and reports a pattern tenon
 * cannot make ids for: then the service's create sets the id (a user hook).
 */
export function applyIdPattern(
  resource: ResourceModel,
  id: FieldModel | undefined,
  warnings: ModelWarning[],
): void {
  if (resource.idKind !== 'text' || !id?.pattern) return;
  resource.idPattern = id.pattern;
  const made = idGenerator(id.pattern);
  if ('reason' in made)
    warnings.push({
      at: resource.source,
      code: 'id-pattern-not-generated',
      message: `${resource.name}.id must match ${id.pattern}, and tenon cannot make such ids: ${made.reason}. Until your service sets it, ids are the database's default (a uuid's text), which does not match.`,
      hint: `Set the id in create() of src/resources/${resource.kebab}.service.ts (input.id), or give the id a pattern of literals and character classes with fixed repeats.`,
    });
}

/** An id that matches a pattern tenon makes ids for and that it never makes in practice (every class at its first character), else `no-such-id`. */
export function unlikelyId(pattern: string | undefined): string {
  const made = pattern ? idGenerator(pattern) : undefined;
  if (!made || 'reason' in made) return 'no-such-id';
  return made.parts.map((p) => (typeof p === 'string' ? p : p.alphabet[0]!.repeat(p.count))).join('');
}
