/**
 * Bulk import of an NDJSON file of EHRs and compositions (see records.ts): lines are
 * read in batches, checked and prepared in worker threads (every line checked as a commit
 * checks it), and written by the store's bulk path (`commitBulk`: one transaction per
 * batch, COPY, the query index and everything a commit writes, consent and modifiability
 * honoured), while the next batches are being prepared. After every batch a checkpoint
 * records the byte offset reached, so an import that is stopped or killed resumes there;
 * ids are stable and what is stored is skipped, so a batch written twice, or a whole file
 * imported again, duplicates nothing.
 */
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Issue } from '@cdr/rm';
import { commitBulk, type BulkItem, type Database, type JsonObject, type TemplateRepository } from '@cdr/store';
import type { OperationalTemplate } from '@cdr/template';
import { TemplateService } from '../services/template-service.js';
import { Checkpoint, fileHead, type CheckpointState, type ImportCounts } from './checkpoint.js';
import { lineBatches, type LineBatch } from './line-batches.js';
import type { PreparedLine } from './prepare-lines.js';
import type { ProgressReporter } from './progress.js';
import { inlinePreparation, workerPreparation, type Preparation } from './workers.js';

export interface Rejection {
  readonly line: number;
  readonly status: number;
  readonly message: string;
  readonly issues: readonly Issue[];
}

export interface ImportOptions {
  readonly db: Database;
  readonly templates: TemplateRepository;
  readonly file: string;
  readonly systemId: string;
  /** AUDIT_DETAILS.committer of every version; default: a PARTY_IDENTIFIED named "bulk import". */
  readonly committer?: JsonObject;
  /** Who runs the import, for the audit trail. */
  readonly subject?: string;
  /** Lines per batch (one transaction each). */
  readonly batchLines?: number;
  readonly batchBytes?: number;
  /** Worker threads preparing lines; 0 prepares inline. Default: the cores but one (at least 1, at most 4). */
  readonly workers?: number;
  /** The checkpoint file; default `<file>.checkpoint.json`. */
  readonly checkpoint?: string;
  /** Start at the beginning even when a checkpoint says otherwise. */
  readonly restart?: boolean;
  readonly progress?: ProgressReporter;
  readonly onRejected?: (rejection: Rejection) => void;
  /** Stops the import after the batch being written (the checkpoint lets it resume). */
  readonly signal?: AbortSignal;
  /**
   * Refresh the planner's statistics of the tables written once the import is complete
   * (default true): right after a large import they describe the tables as they were, and
   * plans chosen on them (FHIR search, AQL) can read far more than they need until autovacuum
   * gets to them.
   */
  readonly analyze?: boolean;
}

export interface ImportSummary {
  readonly file: string;
  readonly counts: ImportCounts;
  readonly lines: number;
  readonly bytes: number;
  readonly seconds: number;
  /** The line a checkpoint made it start from (1 when it started at the beginning). */
  readonly startedAtLine: number;
  /** False when stopped by the signal before the end. */
  readonly completed: boolean;
}

/** Every stored template, parsed (as the content checks of commits use them). */
export async function storedTemplates(repository: TemplateRepository): Promise<[string, OperationalTemplate][]> {
  const service = new TemplateService(repository);
  const summaries = await repository.list();
  return Promise.all(summaries.map(async (s): Promise<[string, OperationalTemplate]> => [s.templateId, await service.template(s.templateId)]));
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const file = resolve(options.file);
  const size = (await stat(file)).size;
  const head = await fileHead(file);
  const checkpoint = new Checkpoint(options.checkpoint ?? `${file}.checkpoint.json`);
  const saved = options.restart ? undefined : await checkpoint.load(file, head);
  const counts: ImportCounts = saved ? { ...saved.counts } : { ehrsCreated: 0, compositionsCreated: 0, existing: 0, rejected: 0 };
  let state: CheckpointState = saved ?? {
    file,
    head,
    offset: 0,
    line: 1,
    counts,
    startedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  const startedAtLine = state.line;
  const started = performance.now();
  const init = { systemId: options.systemId, templates: await storedTemplates(options.templates) };
  const workers = options.workers ?? defaultWorkers();
  const preparation: Preparation = workers > 0 ? workerPreparation(init, workers) : inlinePreparation(init);
  const committer: JsonObject = options.committer ?? { _type: 'PARTY_IDENTIFIED', name: 'bulk import' };
  const correlationId = randomUUID();
  const snapshot = () => ({ bytesDone: state.offset, bytesTotal: size, lines: state.line - 1, counts });
  options.progress?.start(snapshot());

  const write = async (batch: LineBatch, prepared: readonly PreparedLine[]): Promise<void> => {
    const items: BulkItem[] = [];
    const lineOf: number[] = [];
    const rejections: Rejection[] = [];
    prepared.forEach((line, i) => {
      const number = batch.firstLine + i;
      if (line.kind === 'rejected') {
        rejections.push({ line: number, status: line.status, message: line.message, issues: line.issues });
      } else if (line.kind === 'ehr') {
        items.push({ kind: 'ehr', ehr: line.ehr });
        lineOf.push(number);
      } else if (line.kind === 'version') {
        items.push({ kind: 'version', version: line.version });
        lineOf.push(number);
      }
    });
    if (items.length > 0) {
      const { outcomes } = await commitBulk(options.db, items, {
        systemId: options.systemId,
        committer,
        description: { _type: 'DV_TEXT', value: `Bulk import of ${basename(file)}, lines ${batch.firstLine} to ${batch.firstLine + batch.lines.length - 1}` },
        audit: {
          correlationId,
          subject: options.subject,
          action: 'create',
          method: 'IMPORT',
          path: file,
          details: { lines: [batch.firstLine, batch.firstLine + batch.lines.length - 1] },
        },
      });
      outcomes.forEach((outcome, i) => {
        const item = items[i] as BulkItem;
        if (outcome.status === 'created') {
          if (item.kind === 'ehr') {
            counts.ehrsCreated += 1;
          } else {
            counts.compositionsCreated += 1;
          }
        } else if (outcome.status === 'existing') {
          counts.existing += 1;
        } else {
          rejections.push({ line: lineOf[i] as number, status: outcome.error.status, message: outcome.error.message, issues: outcome.error.issues });
        }
      });
    }
    rejections.sort((a, b) => a.line - b.line);
    for (const rejection of rejections) {
      counts.rejected += 1;
      options.onRejected?.(rejection);
    }
    state = { ...state, offset: batch.endOffset, line: batch.firstLine + batch.lines.length, counts: { ...counts }, updatedAt: new Date().toISOString() };
    await checkpoint.save(state);
    options.progress?.update(snapshot());
  };

  const batches = lineBatches(file, { offset: state.offset, line: state.line }, { lines: options.batchLines ?? 250, bytes: options.batchBytes ?? 8 << 20 });
  const inFlight: { batch: LineBatch; prepared: Promise<PreparedLine[]> }[] = [];
  const ahead = Math.max(2, workers * 2);
  let writing: Promise<void> = Promise.resolve();
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && inFlight.length < ahead) {
        const next = await batches.next();
        if (next.done) {
          exhausted = true;
        } else {
          const prepared = preparation.prepare(next.value.lines);
          prepared.catch(() => undefined);
          inFlight.push({ batch: next.value, prepared });
        }
      }
      const next = inFlight.shift();
      if (!next) {
        break;
      }
      const prepared = await next.prepared;
      await writing;
      if (options.signal?.aborted) {
        break;
      }
      writing = write(next.batch, prepared);
    }
    await writing;
  } finally {
    await batches.return(undefined);
    await preparation.close();
  }
  const completed = state.offset >= size;
  if (completed) {
    await checkpoint.remove();
    if (options.analyze !== false && counts.ehrsCreated + counts.compositionsCreated > 0) {
      await options.db.query('analyze ehr, ehr_subject, contribution, versioned_object, object_version, aql_node, aql_folder_item');
    }
  }
  options.progress?.finish(snapshot(), completed);
  return {
    file,
    counts: { ...counts },
    lines: state.line - 1,
    bytes: state.offset,
    seconds: (performance.now() - started) / 1000,
    startedAtLine,
    completed,
  };
}
