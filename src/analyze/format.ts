/** `1536` → `1.5 kB`, `52428800` → `50 MB` (powers of 1024, as PostgreSQL's pg_size_pretty). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${value} bytes`
    : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `0.9712` → `97.1%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio >= 0.999 && ratio < 1 ? 2 : 1)}%`;
}
