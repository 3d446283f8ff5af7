import { assertNever } from '../../shared/assert-never';
import { AppNav } from './components/app-nav';
import { ConnectionBanner } from './components/connection-banner';
import { FolderBrowserDialog } from './components/folder-browser-dialog';
import { LiveRegion } from './components/live-region';
import { NoticeBar } from './components/notice-bar';
import { WindowTitle } from './components/window-title';
import { AccessibilityScreen } from './screens/accessibility/accessibility-screen';
import { FailedFilesScreen } from './screens/failed/failed-files-screen';
import { HistoryScreen } from './screens/history/history-screen';
import { NewBatchScreen } from './screens/new-batch/new-batch-screen';
import { QueueScreen } from './screens/queue/queue-screen';
import { ReviewScreen } from './screens/review/review-screen';
import { SettingsScreen } from './screens/settings/settings-screen';
import { useApp } from './store/store-context';
import type { View } from './store/ui-slice';

function Screen({ view }: { readonly view: View }) {
  switch (view) {
    case 'new-batch':
      return <NewBatchScreen />;
    case 'queue':
      return <QueueScreen />;
    case 'failed':
      return <FailedFilesScreen />;
    case 'history':
      return <HistoryScreen />;
    case 'review':
      return <ReviewScreen />;
    case 'accessibility':
      return <AccessibilityScreen />;
    case 'settings':
      return <SettingsScreen />;
    default:
      return assertNever(view, 'view');
  }
}

/** The page: banner with the app's name and the screens, the current screen, the live region. */
export function App() {
  const view = useApp((state) => state.view);
  const version = useApp((state) => state.appInfo?.version);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the main content
      </a>
      <header className="app-header">
        <div className="brand">
          <h1>AltGen Desktop</h1>
          <p className="tagline">Alt text for the pictures in your lecture decks{version ? ` · version ${version}` : ''}</p>
        </div>
        <AppNav />
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <NoticeBar />
        <Screen view={view} />
      </main>
      <FolderBrowserDialog />
      <LiveRegion />
      <WindowTitle />
    </div>
  );
}
