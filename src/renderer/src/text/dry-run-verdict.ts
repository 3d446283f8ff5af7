import type { StatusCounts } from '../../../shared/batch-types';
import type { BatchSnapshot, ModelStatus } from '../../../shared/ipc-contract';
import { plural } from './plural';

export interface DryRunVerdict {
  readonly tone: 'ready' | 'attention' | 'blocked' | 'checking';
  readonly headline: string;
  readonly details: readonly string[];
}

/** The dry run's verdict on the batch: decks, pictures, pictures needing alt text, model server. */
export function dryRunVerdict(
  counts: StatusCounts,
  totals: BatchSnapshot['totals'],
  finished: boolean,
  model: ModelStatus | null,
): DryRunVerdict {
  const checked = counts.complete + counts.failed + counts.skipped;
  const decks = totals?.decks ?? counts.complete;
  const details: string[] = [
    `${plural(decks, 'deck')} can be processed.`,
    totals
      ? `${plural(totals.pictures, 'picture')}, ${totals.pictures_missing_alt} of them need alt text.`
      : 'Pictures are counted when the check finishes.',
  ];
  if (counts.skipped > 0) details.push(`${plural(counts.skipped, 'file')} will be skipped.`);
  if (counts.failed > 0) details.push(`${plural(counts.failed, 'file')} cannot be processed.`);
  const modelOk = model?.state === 'ok';
  if (model) {
    details.push(
      modelOk
        ? `Model server: ✅ reachable, with ${model.model}.`
        : `Model server: ❌ ${model.message ?? 'not reachable'}${model.fix ? ` Fix: ${model.fix}` : ''}`,
    );
  }
  if (!finished) return { tone: 'checking', headline: `⏳ Checking: ${checked} of ${counts.total} files checked…`, details };
  if (decks === 0) return { tone: 'blocked', headline: '❌ Not ready: no deck can be processed.', details };
  if (model && !modelOk) return { tone: 'attention', headline: '⚠️ Decks are ready, but the model server needs attention.', details };
  if (counts.failed + counts.skipped > 0) {
    return { tone: 'attention', headline: `✅ Ready, with exceptions: ${plural(decks, 'deck')} will be processed.`, details };
  }
  return { tone: 'ready', headline: `✅ Ready: all ${plural(decks, 'deck')} can be processed.`, details };
}
