/** A worker thread of the import: checks and prepares the lines it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { LinePreparer, TemplateSet } from './prepare-lines.js';
import type { WorkerInit } from './workers.js';

const init = workerData as WorkerInit;
const preparer = new LinePreparer(new TemplateSet(new Map(init.templates)), init.systemId);

parentPort?.on('message', (message: { id: number; lines: readonly string[] }) => {
  preparer.prepareAll(message.lines).then(
    (results) => parentPort?.postMessage({ id: message.id, results }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: (error as Error).message }),
  );
});
