/** How the bottleneck verdicts write their figures and commands. */

/** A share (0–1) as a percentage with one decimal. */
export const pct = (v: number): number => Math.round(v * 1000) / 10;

/** Milliseconds, with fewer decimals as they grow. */
export const ms = (v: number): string =>
  v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(v >= 10 ? 1 : 2)} ms`;

/** A statement on one line, cut at `max` characters. */
export const oneLine = (sql: string, max = 160): string => {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** A shell-quoted argument. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
