/**
 * `npm run cdr -- import FILE [options]`: bulk import of an NDJSON file of EHRs and
 * compositions into the CDR's database (DATABASE_URL, or the embedded PostgreSQL of
 * CDR_DATA_DIR), with the CDR's system id (CDR_SYSTEM_ID).
 *
 *   --batch <lines>       lines per transaction (default 250)
 *   --workers <n>         threads checking and preparing lines (default: cores - 1; 0 = inline)
 *   --committer <name>    the committer recorded in every version's audit (default "bulk import")
 *   --rejects <file>      where rejected lines are described, as NDJSON (default <FILE>.rejects.ndjson)
 *   --checkpoint <file>   where progress is kept (default <FILE>.checkpoint.json)
 *   --restart             start from the first line even when a checkpoint exists
 *
 * Ctrl-C (or SIGTERM) stops after the batch being written; the same command resumes.
 * Exit status: 0 when every line was imported or already present, 1 when lines were
 * rejected (each described in the rejects file), 2 on bad arguments, 130 when stopped.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { TemplateRepository, migrate } from '@cdr/store';
import { readConfig } from '../config.js';
import { loadDefaultTemplates } from '../default-templates.js';
import { silentLogger } from '../logger.js';
import { TemplateService } from '../services/template-service.js';
import { openImportDatabase } from './database.js';
import { importFile, type Rejection } from './importer.js';
import { progressReporter } from './progress.js';

class UsageError extends Error {}

function parse(args: readonly string[]): { file: string; flags: Map<string, string | true> } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--restart') {
      flags.set('restart', true);
    } else if (arg.startsWith('--')) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`option ${arg} needs a value`);
      }
      flags.set(arg.slice(2), value);
      i += 1;
    } else {
      positional.push(arg);
    }
  }
  const known = new Set(['batch', 'workers', 'committer', 'rejects', 'checkpoint', 'restart']);
  for (const name of flags.keys()) {
    if (!known.has(name)) {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  if (positional.length !== 1) {
    throw new UsageError('usage: npm run cdr -- import FILE [--batch N] [--workers N] [--committer NAME] [--rejects FILE] [--checkpoint FILE] [--restart]');
  }
  return { file: resolve(positional[0] as string), flags };
}

function count(flags: Map<string, string | true>, name: string, min: number): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}`);
  }
  return value;
}

export async function importCommand(args: readonly string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  let batch: number | undefined;
  let workers: number | undefined;
  try {
    parsed = parse(args);
    batch = count(parsed.flags, 'batch', 1);
    workers = count(parsed.flags, 'workers', 0);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const { file, flags } = parsed;
  const config = readConfig();
  const database = await openImportDatabase(config);
  const stop = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) {
      process.stderr.write('\nstopping after the batch being written ...\n');
      stop.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await migrate(database.db);
    const templates = new TemplateRepository(database.db);
    if (config.loadDefaultTemplates) {
      await loadDefaultTemplates(new TemplateService(templates), silentLogger());
    }
    const rejects = resolve(typeof flags.get('rejects') === 'string' ? (flags.get('rejects') as string) : `${file}.rejects.ndjson`);
    let shown = 0;
    const onRejected = (rejection: Rejection) => {
      appendFileSync(rejects, `${JSON.stringify(rejection)}\n`);
      if (shown < 10) {
        shown += 1;
        process.stderr.write(`\nline ${rejection.line}: ${rejection.message}${rejection.issues.length > 0 ? ` (${rejection.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')})` : ''}\n`);
      }
    };
    process.stderr.write(`importing ${file} into ${database.description}\n`);
    const committerName = flags.get('committer');
    const summary = await importFile({
      db: database.db,
      templates,
      file,
      systemId: config.systemId,
      ...(typeof committerName === 'string' ? { committer: { _type: 'PARTY_IDENTIFIED', name: committerName } } : {}),
      subject: userInfo().username,
      ...(batch === undefined ? {} : { batchLines: batch }),
      ...(workers === undefined ? {} : { workers }),
      ...(typeof flags.get('checkpoint') === 'string' ? { checkpoint: flags.get('checkpoint') as string } : {}),
      restart: flags.get('restart') === true,
      progress: progressReporter(process.stderr),
      onRejected,
      signal: stop.signal,
    });
    if (summary.startedAtLine > 1) {
      process.stderr.write(`(resumed at line ${summary.startedAtLine} from the checkpoint)\n`);
    }
    if (!summary.completed) {
      process.stderr.write(`stopped at line ${summary.lines}; run the same command to resume\n`);
      process.exitCode = 130;
    } else if (summary.counts.rejected > 0) {
      process.stderr.write(`${summary.counts.rejected} line(s) rejected, described in ${rejects}\n`);
      process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await database.close();
  }
}
