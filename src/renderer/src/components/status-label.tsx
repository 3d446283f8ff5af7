import type { ItemStatus } from '../../../shared/batch-types';
import { statusText } from '../text/status-text';
import { Icon } from './icon';

/** A status as words with its icon beside them (the icon is hidden from screen readers, which read the words). */
export function StatusLabel({ status, dryRun = false }: { readonly status: ItemStatus; readonly dryRun?: boolean }) {
  const { icon, words } = statusText(status, dryRun);
  return (
    <span className={`status status-${status}`}>
      <Icon name={icon} />
      {words}
    </span>
  );
}
