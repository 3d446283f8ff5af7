import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BatchEvent } from '../../shared/batch-events';
import type { ModelConfig } from '../../shared/config-schema';
import { writeFileAtomic } from '../files/write-file-atomic';

/**
 * How long one picture takes with a model on this computer, measured in real runs and kept in
 * the user data folder (`picture-timing.json`): a dry run can then say how long the run will
 * take "on this computer", and a run's ETA has a rate before it has timed a picture itself.
 * Kept per provider, server and model.
 *
 * Guaranteed: a missing or damaged file reads as nothing measured, and a write replaces the file
 * whole (write-file-atomic). Not guaranteed: of two apps recording at the same moment, the last
 * write wins (a measurement, not a record: the next run measures again).
 */

/** Older measurements weigh as at most this many pictures, so the figure follows a faster model or computer. */
const REMEMBERED_PICTURES = 100;

interface Timing {
  readonly ms_per_picture: number;
  readonly pictures: number;
}

type TimingFile = Readonly<Record<string, Timing>>;

function keyOf(model: ModelConfig): string {
  return `${model.provider} ${model.base_url} ${model.name}`;
}

/** A run's measurement: its complete decks' time over the pictures the model described in them. */
export interface TimingMeter {
  /** Feed every event of the run; the measurement is saved when the run ends. */
  observe(event: BatchEvent): void;
}

export class PictureTiming {
  constructor(readonly file: string) {}

  private async read(): Promise<TimingFile> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as TimingFile) : {};
    } catch {
      return {};
    }
  }

  /** One picture's time with this model here, or null before any run measured it. */
  async msPerPicture(model: ModelConfig): Promise<number | null> {
    const timing = (await this.read())[keyOf(model)];
    const ms = timing?.ms_per_picture;
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : null;
  }

  /** Adds a run's measurement: `ms` over `pictures` model calls. */
  async record(model: ModelConfig, ms: number, pictures: number): Promise<void> {
    if (pictures <= 0 || !(ms > 0)) return;
    const all = await this.read();
    const key = keyOf(model);
    const before = all[key];
    const weight = before && before.ms_per_picture > 0 ? Math.min(before.pictures, REMEMBERED_PICTURES) : 0;
    const msPerPicture = ((before?.ms_per_picture ?? 0) * weight + ms) / (weight + pictures);
    const next: TimingFile = { ...all, [key]: { ms_per_picture: Math.round(msPerPicture), pictures: weight + pictures } };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2));
  }

  /** A meter for one run of a batch with this model; a dry run measures nothing. */
  meter(model: ModelConfig): TimingMeter {
    let ms = 0;
    let pictures = 0;
    let dryRun = false;
    return {
      observe: (event) => {
        switch (event.type) {
          case 'batch:started':
            dryRun = event.dry_run;
            return;
          case 'item:updated': {
            const result = event.item.result;
            const calls = result?.model_calls ?? 0;
            if (dryRun || event.item.status !== 'complete' || calls <= 0 || typeof result?.duration_seconds !== 'number') return;
            ms += result.duration_seconds * 1000;
            pictures += calls;
            return;
          }
          case 'batch:finished':
            // A measurement is a convenience: failing to keep it must not touch the batch.
            if (!dryRun) void this.record(model, ms, pictures).catch(() => undefined);
            return;
          default:
            return;
        }
      },
    };
  }
}
