/** `tenon/demo`: the whole job end to end on a sample API, with one HTML report. */
export { type AppProcess, linkDependencies, missingDependencies, startApp } from './app-process.js';
export { demoTargets } from './demo-load.js';
export {
  DEMO_STEPS,
  type DemoEvent,
  type DemoOptions,
  type DemoStep,
  demoOptionsSchema,
} from './demo-options.js';
export type { DemoCapacityRun, DemoLoadRun, DemoResult } from './demo-result.js';
export { type DemoSession, openDemoSession } from './demo-session.js';
export { type PgliteServer, servePglite } from './pglite-server.js';
export { isPlantedFinding, plantedBottleneck, plantedHeaviest } from './planted.js';
export { renderDemoReport } from './report/html-report.js';
export { runDemo } from './run-demo.js';
export { SAMPLE_SPEC } from './sample-spec.js';
export { DEFAULT_SEED_SIZES, type SeedResult, type SeedSizes, seedDemoData, seedStatements } from './seed.js';
