/**
 * Name conversions shared by both inputs, so `OrderItem`, `orderItem`,
 * `order-items` and `order_item` always map the same way, plus the lists of
 * names the generator refuses or renames.
 */

/** Splits `orderItem`, `OrderItem`, `order_item`, `order-item`, `ORDER_ITEM` into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** `order_item` → `OrderItem`. */
export function toPascal(name: string): string {
  return words(name)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** `order_item` → `orderItem`. */
export function toCamel(name: string): string {
  const pascal = toPascal(name);
  return pascal ? pascal[0]!.toLowerCase() + pascal.slice(1) : pascal;
}

/** `OrderItem` → `order_item`. */
export function toSnake(name: string): string {
  return words(name).join('_');
}

/** `OrderItem` → `order-item`. */
export function toKebab(name: string): string {
  return words(name).join('-');
}

const IRREGULAR: Record<string, string> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
};
const UNCOUNTABLE = new Set(['data', 'news', 'series', 'species', 'information', 'equipment', 'metadata']);

/** English plural of the last word: `category` → `categories`, `box` → `boxes`. */
export function pluralize(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  const irregular = IRREGULAR[lower];
  if (irregular) return irregular;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

const SINGULAR_ENDS_IN_S =
  /(alias|atlas|bias|canvas|gas|status|virus|bonus|campus|census|corpus|focus|radius|(?<!a)bus|syllabus|prospectus|apparatus|nexus|surplus|chorus|circus|cactus|octopus|walrus|genius|lens|iris)es$/i;

/** English singular of the last word: `categories` → `category`, `boxes` → `box`. */
export function singularize(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  for (const [one, many] of Object.entries(IRREGULAR)) if (lower === many) return one;
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  // Words ending in -s whose plural adds -es (`aliases`, `statuses`, `buses`): not `aliase`. A list, not a
  // rule: `houses`, `causes`, `databases` and `releases` end the same way and drop only the -s.
  if (SINGULAR_ENDS_IN_S.test(word)) return word.slice(0, -2);
  // Greek -sis nouns: `analyses` → `analysis`, `diagnoses` → `diagnosis` (not the verbs).
  if (/(analy|diagno|hypothe|the|cri|synop|parenthe)ses$/i.test(word)) return `${word.slice(0, -2)}is`;
  if (/ss$/i.test(word)) return word;
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** Plural of a multi-word name, pluralizing the last word: `orderItem` → `order-items`. */
export function pluralKebab(name: string): string {
  const w = words(name);
  if (w.length === 0) return '';
  w[w.length - 1] = pluralize(w.at(-1)!);
  return w.join('-');
}

/**
 * Words a resource type name must not be: TypeScript/JavaScript reserved
 * words and the globals the generated code uses, since `interface Date`
 * in a generated file would shadow the real one.
 */
export const TS_RESERVED_TYPE_NAMES = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for
function if import in instanceof new null return super switch this throw true try typeof var void while with as
implements interface let package private protected public static yield any boolean constructor declare get module
require number set string symbol type from of async await never unknown object undefined
array bigint boolean buffer date error function json map math number object promise proxy record reflect regexp set
string symbol url weakmap weakset partial readonly required pick omit`
    .split(/\s+/)
    .filter(Boolean),
);

/** Field names that would break plain objects or the generated code. */
export const FORBIDDEN_FIELD_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty']);

/** Columns every table has; fields may map onto them but not redefine them (`owner_id` too, on owned resources). */
export const SYSTEM_COLUMNS = new Set(['id', 'created_at', 'updated_at']);

/** Tables the generated project owns itself. */
export const RESERVED_TABLES = new Set(['tenon_migrations']);
