import { assertNever } from '../../../shared/assert-never';
import type { DiscoveredRow, DiscoveryPreview } from '../../../shared/ipc-contract';
import type { IconName } from '../components/icon';
import { errorCodeWords } from './error-code-text';

/** What will happen to a file found, in words with an icon beside them. */
export function previewActionLabel(action: DiscoveredRow['action']): { readonly icon: IconName; readonly words: string } {
  switch (action) {
    case 'process':
      return { icon: 'check', words: 'Will be processed' };
    case 'skip':
      return { icon: 'skip', words: 'Will be skipped' };
    case 'fail':
      return { icon: 'cross', words: 'Cannot be processed' };
    default:
      return assertNever(action, 'discovery action');
  }
}

export function previewReason(row: DiscoveredRow): string {
  if (row.action === 'process') return row.reason ?? '';
  return row.reason ?? (row.code ? errorCodeWords(row.code) : '');
}

export interface PreviewCounts {
  readonly process: number;
  readonly skip: number;
  readonly fail: number;
}

export function previewCounts(preview: DiscoveryPreview): PreviewCounts {
  const counts = { process: 0, skip: 0, fail: 0 };
  for (const file of preview.files) counts[file.action] += 1;
  return counts;
}
