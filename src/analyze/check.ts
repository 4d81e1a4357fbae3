import type { Database } from '../core/db/index.js';
import type { AnalyzeConfig } from './analyze-config.js';
import type { Capabilities, CapabilityName } from './capabilities.js';
import type { Catalog } from './catalog/catalog.js';
import type { IndexAdvice } from './index-advisor/advice.js';
import type { CandidateIndex } from './index-advisor/candidates.js';
import type { StatsWindow } from './stats-window/stats-window.js';

/** How urgent a finding is. `info` never fails a run; `warning` and `critical` are problems. */
export type Severity = 'critical' | 'warning' | 'info';

/** Severities from the most to the least urgent. */
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** The database object a finding is about. */
export interface FindingObject {
  type: 'table' | 'index' | 'query' | 'sequence' | 'session' | 'database' | 'constraint' | 'column';
  /** Schema-qualified name (`public.orders`), query id, or process id. */
  name: string;
  /** For indexes, columns and constraints: their table. */
  table?: string;
}

/** SQL that fixes a finding, ready for a migration file. */
export interface FindingFix {
  /** Snake-case migration name, e.g. `add_index_orders_customer_id`. */
  name: string;
  /** SQL that applies the fix. */
  up: string;
  /** SQL that undoes it (empty when it cannot be undone). */
  down: string;
  /** Whether `--write-migrations` writes it (index DDL); other fixes are shown only. */
  migration: boolean;
  /** The index the fix creates, so that the fixes of one run are planned together. */
  createsIndex?: {
    candidate: CandidateIndex;
    name: string;
    /** Any index whose leading columns are these, in any order, serves (a foreign key's). */
    anyOrder?: boolean;
  };
  /** The index the fix drops (`schema.name`). */
  dropsIndex?: string;
}

/** One problem a check found. */
export interface Finding {
  /** The check id, e.g. `missing-fk-index`. */
  check: string;
  severity: Severity;
  /** One line: what is wrong. */
  title: string;
  object: FindingObject;
  /** The figures that show it (row counts, sizes, times, ratios). */
  evidence: Record<string, unknown>;
  /** What to do about it, in a sentence or two. */
  recommendation: string;
  fix?: FindingFix;
}

/** Whether a check ran, and if not, why. */
export interface CheckRun {
  id: string;
  title: string;
  status: 'ran' | 'not-run' | 'failed';
  /** For `not-run` and `failed`: why, and how to enable it. */
  reason?: string;
  findings: number;
  durationMs: number;
}

/** What a check receives: the database, what it can do, the thresholds and shared catalog data. */
export interface CheckContext {
  db: Database;
  capabilities: Capabilities;
  config: AnalyzeConfig;
  catalog: Catalog;
  /** The time the cumulative counters cover; checks that read them say so in their evidence. */
  window: StatsWindow;
  /** The index advisor's result, computed once for every check that asks. */
  indexAdvice(): Promise<IndexAdvice>;
}

/**
 * An analyzer check: one file in `src/analyze/checks/`, the same shape for
 * all, run by `analyzeDatabase` and by one shared contract test.
 */
export interface Check {
  /** Stable kebab-case id, used by `--only` and in JSON output. */
  readonly id: string;
  /** Short human title. */
  readonly title: string;
  /** When each severity is used, for docs and the contract test. */
  readonly severities: Readonly<Partial<Record<Severity, string>>>;
  /** Capabilities without which the check cannot say anything; missing ones make it "not run". */
  readonly requires: readonly CapabilityName[];
  run(ctx: CheckContext): Promise<Finding[]>;
}
