import type { ItemStatus } from '../../../shared/batch-types';
import { STATUS_TEXT } from '../text/status-text';

/** A status as words, with its emoji beside them (hidden from screen readers, which read the words). */
export function StatusLabel({ status }: { readonly status: ItemStatus }) {
  const { emoji, words } = STATUS_TEXT[status];
  return (
    <span className={`status status-${status}`}>
      {emoji ? <span aria-hidden="true">{emoji} </span> : null}
      {words}
    </span>
  );
}
