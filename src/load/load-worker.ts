import { parentPort, workerData } from 'node:worker_threads';
import { LoadEngine } from './load-engine.js';
import type { FailedMessage, MainMessage, ReadyMessage, WorkerPlan } from './worker-protocol.js';

/*
 * The entry of a load worker thread: runs one {@link LoadEngine} on the plan
 * in `workerData` and relays its messages to the main thread.
 */
const port = parentPort!;
const plan = workerData as WorkerPlan;
const engine = new LoadEngine(plan, (message) => port.postMessage(message));
function fail(error: unknown): void {
  const failed: FailedMessage = {
    type: 'failed',
    worker: plan.index,
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  };
  port.postMessage(failed);
}

port.on('message', (message: MainMessage) => {
  if (message.type === 'start') engine.run(message.startAt).catch(fail);
  else engine.stop();
});
engine.prepare().then(() => {
  const ready: ReadyMessage = { type: 'ready', worker: plan.index };
  port.postMessage(ready);
}, fail);
