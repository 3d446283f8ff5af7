import type { StatusCounts } from '../../../shared/batch-types';
import type { BatchSnapshot, ModelStatus } from '../../../shared/ipc-contract';
import { withoutCodeMarks } from '../../../shared/plain-sentence';
import { runEstimateText } from './clock-text';
import { plural } from './plural';

export interface DryRunVerdict {
  readonly tone: 'ready' | 'attention' | 'blocked' | 'checking';
  readonly headline: string;
  readonly details: readonly string[];
}

/**
 * The dry run's verdict on the batch: decks, pictures, pictures to describe, how long the
 * run will take, the model server. In a dry run this is the one place that says what is wrong
 * with the model server (the model line above only names its state).
 */
export function dryRunVerdict(
  counts: StatusCounts,
  totals: BatchSnapshot['totals'],
  finished: boolean,
  model: ModelStatus | null,
  workers: number,
): DryRunVerdict {
  const checked = counts.complete + counts.failed + counts.skipped;
  const decks = totals?.decks ?? counts.complete;
  const details: string[] = [
    `${plural(decks, 'deck')} can be processed.`,
    totals
      ? `${plural(totals.pictures, 'picture')}, ${totals.pictures_missing_alt} to describe.`
      : 'Pictures are counted when the check finishes.',
  ];
  if (finished && totals && decks > 0) details.push(runEstimateText(totals.pictures_for_model, model?.ms_per_picture ?? null, workers));
  if (counts.skipped > 0) details.push(`${plural(counts.skipped, 'file')} will be skipped.`);
  if (counts.failed > 0) details.push(`${plural(counts.failed, 'file')} cannot be processed.`);
  const modelOk = model?.state === 'ok';
  if (model) {
    details.push(
      modelOk
        ? `Model server: reachable, with ${model.model}.`
        : withoutCodeMarks(`Model server: ${model.message ?? 'not reachable.'}${model.fix ? ` Fix: ${model.fix}` : ''}`),
    );
  }
  if (!finished) return { tone: 'checking', headline: `Checking: ${checked} of ${counts.total} files checked…`, details };
  if (decks === 0) return { tone: 'blocked', headline: 'Not ready: no deck can be processed.', details };
  if (model && !modelOk) return { tone: 'attention', headline: 'Decks are ready, but the model server needs attention.', details };
  if (counts.failed + counts.skipped > 0) {
    return { tone: 'attention', headline: `Ready, with exceptions: ${plural(decks, 'deck')} will be processed.`, details };
  }
  return { tone: 'ready', headline: `Ready: all ${plural(decks, 'deck')} can be processed.`, details };
}
