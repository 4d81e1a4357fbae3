/** Whether a declared body media type is text (`text/plain`, `text/csv`, `text/*`): its handler gets a string. */
export function isTextType(type: string): boolean {
  return /^text\//i.test(type);
}

/**
 * The TypeScript type of a body in other media types than JSON or a form
 * (see `rawBody` in the generated `src/http/body-media.ts`): a string for
 * text types, bytes for the others (`application/octet-stream`, `image/*`).
 */
export function rawBodyTs(types: readonly string[]): string {
  const text = types.filter(isTextType).length;
  return text === 0 ? 'Buffer' : text === types.length ? 'string' : 'Buffer | string';
}
