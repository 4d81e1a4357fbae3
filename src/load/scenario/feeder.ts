import type { FeederSpec } from './scenario-schema.js';

/** A data row: column (or key) → value. */
export type DataRow = Readonly<Record<string, unknown>>;

/**
 * Hands out the rows of one data set. The cursor is shared by every
 * virtual user, so `sequential` rows go out in order, each once before any
 * repeats; `random` picks any row each time.
 */
export class Feeder {
  #next = 0;

  constructor(
    readonly name: string,
    readonly rows: readonly DataRow[],
    readonly order: FeederSpec['order'],
    readonly scope: FeederSpec['scope'],
    readonly random: () => number = Math.random,
  ) {}

  /** The next row of the sequence (or a random one). */
  take(): DataRow {
    if (this.order === 'random') return this.rows[Math.floor(this.random() * this.rows.length)]!;
    const row = this.rows[this.#next]!;
    this.#next = (this.#next + 1) % this.rows.length;
    return row;
  }
}

/** The rows a virtual user keeps for its whole life (feeders with `scope: vu`). */
export function rowsForVu(feeders: readonly Feeder[]): Record<string, DataRow> {
  const out: Record<string, DataRow> = {};
  for (const f of feeders) if (f.scope === 'vu') out[f.name] = f.take();
  return out;
}

/** The rows of one flow iteration (feeders with `scope: shared`). */
export function rowsForFlow(feeders: readonly Feeder[]): Record<string, DataRow> {
  const out: Record<string, DataRow> = {};
  for (const f of feeders) if (f.scope === 'shared') out[f.name] = f.take();
  return out;
}
