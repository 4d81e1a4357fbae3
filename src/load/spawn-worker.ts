import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerPlan } from './worker-protocol.js';

/**
 * Starts a load worker thread. From the built package it runs
 * `load-worker.js`; from the TypeScript sources (tests, benchmarks run with
 * tsx) it registers tsx in the worker first, since a worker does not
 * inherit the loader of the thread that started it.
 */
export function spawnLoadWorker(plan: WorkerPlan): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  // From ../load/, not ./: the same path from a bundle of the CLI (scripts/bundle-cli.ts), whose chunks sit in cli/.
  const entry = new URL(fromSource ? '../load/load-worker.ts' : '../load/load-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: plan });
  // The ESM build of tsx's API (its CommonJS build cannot register hooks from an eval'd worker).
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData: plan });
}
