/**
 * Where a slug comes from. A lookup key named like a slug (`Article.slug` of
 * `/articles/{slug}`) that the create does not take is, to the readers of
 * its URLs, the row's title in lower-case words: the server makes it from the
 * title-like string the create requires, never a constant (the second row
 * would be a 409) and not a uuid when a title is there to read.
 */
import { quoteIdent } from '../core/sql/quote.js';
import type { FieldModel, ResourceModel } from './api-model.js';
import { propertyAccess } from './ts-types.js';

const SLUG_NAME = /^(slug|url_?slug|permalink|handle)$/i;
/** Title-like names, best first. */
const TITLE_NAMES = ['title', 'name', 'headline', 'subject', 'label', 'heading'];

/**
 * The name of the required string of the create body a slug key is made from, or undefined when the
 * key is not named like a slug or the create requires no title-like string.
 */
export function slugSource(
  key: string,
  fields: readonly FieldModel[],
  createRequired: readonly string[],
): string | undefined {
  if (!SLUG_NAME.test(key)) return undefined;
  for (const title of TITLE_NAMES) {
    const field = fields.find(
      (f) => f.name.toLowerCase() === title && (f.kind === 'string' || f.kind === 'text') && !f.secret,
    );
    if (field && createRequired.includes(field.name)) return field.name;
  }
  return undefined;
}

/** How the repository makes a resource's slug key (its column, both accesses, the longest base), or undefined. */
export function slugView(r: ResourceModel) {
  const key = r.fields.find((f) => f.slugFrom);
  if (!key) return undefined;
  return {
    columnSql: quoteIdent(key.column),
    access: propertyAccess(key.name),
    fromAccess: propertyAccess(key.slugFrom!),
    // Room for the suffix ("-" and 8 hex digits) within the key's maxLength.
    max: Math.max(1, Math.min(80, (key.maxLength ?? 89) - 9)),
  };
}
