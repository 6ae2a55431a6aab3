/**
 * Line preparation in worker threads, so that checking and preparing the next batches
 * runs beside the database writing the current one. With no workers the same work runs
 * inline, between the writes.
 */
import { Worker } from 'node:worker_threads';
import type { OperationalTemplate } from '@cdr/template';
import { LinePreparer, TemplateSet, type PreparedLine } from './prepare-lines.js';

export interface Preparation {
  prepare(lines: readonly string[]): Promise<PreparedLine[]>;
  close(): Promise<void>;
}

export interface WorkerInit {
  readonly systemId: string;
  readonly templates: readonly (readonly [string, OperationalTemplate])[];
}

export function inlinePreparation(init: WorkerInit): Preparation {
  const preparer = new LinePreparer(new TemplateSet(new Map(init.templates)), init.systemId);
  return {
    prepare: (lines) => preparer.prepareAll(lines),
    close: async () => undefined,
  };
}

interface Pending {
  resolve(results: PreparedLine[]): void;
  reject(error: Error): void;
}

/** `count` worker threads; batches go to the least busy one. */
export function workerPreparation(init: WorkerInit, count: number): Preparation {
  const url = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: count }, () => {
    const worker = new Worker(url, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    const pending = new Map<number, Pending>();
    worker.on('message', (message: { id: number; results?: PreparedLine[]; error?: string }) => {
      const task = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) {
        task?.reject(new Error(message.error));
      } else {
        task?.resolve(message.results ?? []);
      }
    });
    worker.on('error', (error) => {
      for (const task of pending.values()) {
        task.reject(error);
      }
      pending.clear();
    });
    return { worker, pending };
  });
  let nextId = 0;
  return {
    prepare(lines) {
      const target = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = (nextId += 1);
      return new Promise<PreparedLine[]>((resolve, reject) => {
        target.pending.set(id, { resolve, reject });
        target.worker.postMessage({ id, lines });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
