import type { AnalyzeResult, Finding } from '../analyze/index.js';
import type { Database } from '../core/db/index.js';
import type { Bottleneck, CapacityResult, LoadResult } from '../load/index.js';
import type { DemoStep } from './demo-options.js';
import type { DemoSession } from './demo-session.js';
import type { SeedResult } from './seed.js';

/** One steady load run of the demo. */
export interface DemoLoadRun {
  label: string;
  result: LoadResult;
}

/** One capacity search of the demo: the highest rate meeting the p99 target, with its confidence. */
export interface DemoCapacityRun {
  label: string;
  result: CapacityResult;
}

/** Everything a demo did, as `--json` prints it. */
export interface DemoResult {
  schema: 'tenon.demo/v1';
  dir: string;
  framework: 'fastify' | 'express';
  database: { kind: Database['kind']; url: string; initdbCached: boolean };
  seed: SeedResult;
  /** The app as it ran (stopped when the result is returned). */
  app: { url: string; pid: number; dependencies: 'linked' | 'installed' };
  session: Omit<DemoSession, 'headers'>;
  p99Target: number;
  before: DemoLoadRun;
  capacityBefore: DemoCapacityRun;
  analysis: AnalyzeResult;
  /** The finding about the slow query the sample plants (products by category), when found. */
  planted: Finding | null;
  /**
   * The bottleneck the load run before the fix named on its own (from the
   * database's signals), when it is the planted statement; null when the run
   * named something else or nothing.
   */
  plantedByLoad: Bottleneck | null;
  fix: { written: string[]; applied: string[] };
  after: DemoLoadRun;
  capacityAfter: DemoCapacityRun;
  /** Milliseconds per step. */
  timings: Partial<Record<DemoStep, number>>;
  startedAt: string;
  durationMs: number;
}
