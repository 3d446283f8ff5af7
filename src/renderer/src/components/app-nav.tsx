import type { View } from '../store/ui-slice';
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
  { view: 'settings', label: 'Settings' },
];

/** The screens; the current one is marked for screen readers (aria-current) and by more than colour. */
export function AppNav() {
  const view = useApp((state) => state.view);
  const failed = useApp((state) => state.batch?.counts.failed ?? 0);
  const running = useApp((state) => state.batch?.state === 'running');
  const showView = useApp((state) => state.showView);
  return (
    <nav aria-label="Screens" className="app-nav">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button type="button" aria-current={view === item.view ? 'page' : undefined} onClick={() => showView(item.view)}>
              {item.label}
              {item.view === 'failed' && failed > 0 ? <span className="nav-count"> ({failed})</span> : null}
              {item.view === 'queue' && running ? <span className="nav-count"> (running)</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
