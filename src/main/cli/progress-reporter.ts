import { SingleBar } from 'cli-progress';
import { assertNever } from '../../shared/assert-never';
import type { BatchEvent } from '../../shared/batch-events';
import type { QueueItem } from '../../shared/batch-types';
import { formatDuration, progressLine } from '../../shared/time-format';
import { printable } from './printable';

/**
 * Prints a batch's progress: the seed's progress line every `interval` finished files, or a
 * live bar on a terminal.
 */
export class ProgressReporter {
  private finished = 0;
  private bar: SingleBar | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream | NodeJS.WritableStream,
    private readonly interval: number,
    private readonly live: boolean,
  ) {}

  handle = (event: BatchEvent): void => {
    switch (event.type) {
      case 'batch:started': {
        const { counts } = event.clock;
        const verb = event.dry_run ? 'Validating' : event.resumed ? 'Resuming' : 'Processing';
        this.out.write(`${verb} batch ${event.batch_id}: ${counts.total} file(s), ${counts.pending} to do, ${event.max_workers} worker(s)\n`);
        this.finished = counts.complete + counts.failed + counts.skipped;
        if (this.live) {
          this.bar = new SingleBar(
            { format: '{bar} {value}/{total} | {status} | ETA: {eta_text}', hideCursor: true, clearOnComplete: true, stream: this.out as NodeJS.WriteStream },
          );
          this.bar.start(counts.total, this.finished, { status: '', eta_text: 'estimating…' });
        }
        return;
      }
      case 'item:updated': {
        const { counts } = event.clock;
        const done = counts.complete + counts.failed + counts.skipped;
        if (this.bar) {
          const eta = event.clock.eta_ms === null ? 'estimating…' : `~${formatDuration(event.clock.eta_ms)}`;
          this.bar.update(done, { status: `${counts.complete} ✅ ${counts.failed} ❌ ${counts.skipped} ⏭️`, eta_text: eta });
          return;
        }
        if (done > this.finished) {
          this.finished = done;
          if (done % this.interval === 0 || done === counts.total) {
            this.out.write(progressLine(counts, event.clock.elapsed_ms, event.clock.eta_ms) + '\n');
          }
        }
        return;
      }
      case 'batch:warned':
        // Warnings are listed in the closing summary, where they are read.
        return;
      case 'batch:paused':
        // The runner's local ISO timestamp: characters 11-16 are its HH:MM.
        this.line(`Model server unavailable; waiting for it to come back (until ${event.wait_until.slice(11, 16)})…`);
        return;
      case 'batch:continued':
        this.line('Model server is back; resuming');
        return;
      case 'batch:pause-changed':
        this.line(event.paused ? 'Paused: no deck or picture starts until the batch goes on' : 'Going on');
        return;
      case 'queue:reordered':
        return;
      case 'batch:stopped':
      case 'batch:finished':
        this.bar?.stop();
        this.bar = null;
        return;
      case 'item:progressed':
        return;
      default:
        assertNever(event, 'batch event');
    }
  };

  /** A line of its own, below a live bar if one is drawn (the bar redraws on its next update). */
  private line(text: string): void {
    this.out.write(this.bar ? `\n${text}\n` : `${text}\n`);
  }
}

/** One line per failed or skipped file, capped so a huge batch does not flood the terminal. */
export function problemLines(items: readonly QueueItem[], limit = 50): string[] {
  const problems = items.filter((item) => item.status === 'failed' || item.status === 'skipped');
  const lines = problems.slice(0, limit).map((item) => {
    const label = item.status === 'failed' ? '❌ failed ' : '⏭️ skipped';
    return `  ${label} ${printable(item.path)}: ${printable(item.error ?? item.skip_reason ?? '')}`;
  });
  if (problems.length > limit) lines.push(`  … and ${problems.length - limit} more (see the manifest)`);
  return lines;
}
