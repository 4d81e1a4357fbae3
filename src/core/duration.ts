import * as z from 'zod';

const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;

/**
 * Parses a duration such as `500ms`, `5s`, `1.5m` or `2h` into milliseconds.
 * `0` is accepted without a unit; any other bare number is rejected because
 * `30` is seconds to some tools and milliseconds to others.
 *
 * @returns the duration in milliseconds, or `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = DURATION_RE.exec(trimmed);
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2]!] ?? Number.NaN);
}

/** Formats milliseconds as a short human duration (`850ms`, `4.2s`, `3m05s`). */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/**
 * A zod schema for a duration given as a string with a unit (`5s`) or as a
 * number of milliseconds (config files); the output is milliseconds.
 */
export const durationSchema = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration with a unit such as 500ms, 5s, 2m or 1h (got "${value}")`,
    });
    return z.NEVER;
  }
  return ms;
});
