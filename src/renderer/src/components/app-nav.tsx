import { batchPhase } from '../../../shared/batch-fold';
import type { View } from '../store/ui-slice';
import { phaseTag } from '../text/status-text';
import { useApp } from '../store/store-context';

interface NavItem {
  readonly view: View;
  readonly label: string;
}

const ITEMS: readonly NavItem[] = [
  { view: 'new-batch', label: 'New batch' },
  { view: 'queue', label: 'Current batch' },
  { view: 'failed', label: 'Failed files' },
  { view: 'history', label: 'Batch history' },
  { view: 'accessibility', label: 'Accessibility' },
  { view: 'settings', label: 'Settings' },
];

/** The screens; the current one is marked for screen readers (aria-current) and by more than colour. */
export function AppNav() {
  const view = useApp((state) => state.view);
  // A dry run fails nothing: its files that will fail are in its own verdict, not "Failed files".
  const failed = useApp((state) => (state.batch && !state.batch.dry_run ? state.batch.counts.failed : 0));
  const tag = useApp((state) => (state.batch ? phaseTag(batchPhase(state.batch), state.batch.dry_run) : null));
  const showView = useApp((state) => state.showView);
  return (
    <nav aria-label="Screens" className="app-nav">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button type="button" aria-current={view === item.view ? 'page' : undefined} onClick={() => showView(item.view)}>
              {item.label}
              {item.view === 'failed' && failed > 0 ? <span className="nav-count"> ({failed})</span> : null}
              {item.view === 'queue' && tag ? <span className="nav-count"> ({tag})</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
