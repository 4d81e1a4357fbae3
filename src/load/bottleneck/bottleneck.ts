import type { LockBlocker, RunStatement, StatementAdvice } from '../../core/signals/server-signals.js';

/** Where a run's time went. */
export type BottleneckKind =
  | 'generator'
  | 'limits'
  | 'app-cpu'
  | 'host-cpu'
  | 'database'
  | 'lock-contention'
  | 'pool'
  | 'gc-memory';

/** One candidate the evidence names, with the numbers it rests on and how to dig further. */
export interface Bottleneck {
  kind: BottleneckKind;
  /** How strongly the evidence points here, 0–1 (candidates are ranked by it). */
  score: number;
  /** One sentence: what, with its numbers. */
  message: string;
  evidence: Record<string, number | string>;
  /** Database: the statement with the largest share of the run's statement time, and what the database layer says about it. */
  statement?: RunStatement & { advice?: StatementAdvice };
  /** Lock contention: the session that blocked the most, with its statement. */
  blocker?: LockBlocker;
  /** Commands to dig further. */
  dig: string[];
}
