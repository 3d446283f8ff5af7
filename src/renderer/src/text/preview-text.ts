import { assertNever } from '../../../shared/assert-never';
import type { DiscoveredRow, DiscoveryPreview } from '../../../shared/ipc-contract';
import { errorCodeWords } from './error-code-text';

export function previewActionLabel(action: DiscoveredRow['action']): { readonly emoji: string; readonly words: string } {
  switch (action) {
    case 'process':
      return { emoji: '✅', words: 'Will be processed' };
    case 'skip':
      return { emoji: '⏭️', words: 'Will be skipped' };
    case 'fail':
      return { emoji: '❌', words: 'Cannot be processed' };
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
