/**
 * Import progress: on a terminal a bar redrawn in place (done, rate, ETA); otherwise (a
 * log, a pipe) a plain line every few seconds.
 */
import type { ImportCounts } from './checkpoint.js';

export interface ProgressSnapshot {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly lines: number;
  readonly counts: ImportCounts;
}

export interface ProgressReporter {
  /** Where the import starts (a resumed import starts at its checkpoint). */
  start(snapshot: ProgressSnapshot): void;
  update(snapshot: ProgressSnapshot): void;
  /** The import ended: complete, or stopped before the end. */
  finish(snapshot: ProgressSnapshot, completed: boolean): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '--:--';
  }
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

const number = new Intl.NumberFormat('en-GB');

export function progressReporter(stream: NodeJS.WriteStream, options: { intervalMs?: number } = {}): ProgressReporter {
  let started = performance.now();
  let startBytes = 0;
  const tty = Boolean(stream.isTTY);
  const interval = options.intervalMs ?? (tty ? 200 : 5000);
  let last = 0;
  let firstCompositions: number | undefined;
  const describe = (s: ProgressSnapshot) => {
    const seconds = (performance.now() - started) / 1000;
    const done = s.bytesDone - startBytes;
    const remaining = s.bytesTotal - s.bytesDone;
    const eta = done > 0 ? (remaining * seconds) / done : Number.NaN;
    firstCompositions ??= s.counts.compositionsCreated + s.counts.existing;
    const rate = seconds > 0 ? (s.counts.compositionsCreated + s.counts.existing - firstCompositions) / seconds : 0;
    const percent = s.bytesTotal > 0 ? (100 * s.bytesDone) / s.bytesTotal : 100;
    return { seconds, eta, rate, percent };
  };
  const counts = (s: ProgressSnapshot) =>
    `${number.format(s.counts.compositionsCreated)} compositions and ${number.format(s.counts.ehrsCreated)} EHRs imported, ` +
    `${number.format(s.counts.existing)} already there, ${number.format(s.counts.rejected)} rejected`;
  return {
    start(s) {
      started = performance.now();
      startBytes = s.bytesDone;
      firstCompositions = s.counts.compositionsCreated + s.counts.existing;
    },
    update(s) {
      const now = performance.now();
      if (now - last < interval) {
        return;
      }
      last = now;
      const { eta, rate, percent } = describe(s);
      if (tty) {
        const width = 30;
        const filled = Math.round((width * percent) / 100);
        stream.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent.toFixed(1).padStart(5)}%  ` +
            `${number.format(s.lines)} lines  ${number.format(Math.round(rate))} compositions/s  ETA ${formatDuration(eta)}  ` +
            `(${number.format(s.counts.rejected)} rejected)\u001b[K`,
        );
      } else {
        stream.write(`import: ${percent.toFixed(1)}% (line ${number.format(s.lines)}), ${counts(s)}; ${number.format(Math.round(rate))} compositions/s, ETA ${formatDuration(eta)}\n`);
      }
    },
    finish(s, completed) {
      const { seconds, rate } = describe(s);
      stream.write(`${tty ? '\r\u001b[K' : ''}import: ${completed ? 'done' : 'stopped'} in ${formatDuration(seconds)}: ${counts(s)} (${number.format(Math.round(rate))} compositions/s)\n`);
    },
  };
}
