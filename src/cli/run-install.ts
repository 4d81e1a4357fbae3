import { installDependencies } from '../scaffold/index.js';
import type { Progress } from './output/progress.js';
import { installProgress } from './output/scaffold-progress.js';

/** `npm install` in a generated project, with its start and end as milestones. */
export async function runInstall(progress: Progress, dir: string, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  progress.milestone('npm install …');
  await installDependencies(dir, { signal, onEvent: installProgress(progress) });
  progress.milestone(`npm install done in ${Math.round((performance.now() - started) / 1000)} s`);
}
