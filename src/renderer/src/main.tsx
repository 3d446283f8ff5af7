import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { getBridge } from './bridge/get-bridge';
import { connectStore, createAppStore } from './store/app-store';
import { StoreProvider } from './store/store-context';
import { syncViewWithAddress } from './store/view-address';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');
const root = createRoot(container);

Promise.resolve(getBridge()).then(
  (bridge) => {
    const store = createAppStore(bridge);
    syncViewWithAddress(store, window);
    connectStore(store, bridge);
    root.render(
      <StrictMode>
        <StoreProvider store={store}>
          <App />
        </StoreProvider>
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <main className="startup-error">
        <h1>AltGen Desktop</h1>
        <p role="alert">AltGen could not connect to its engine: {error instanceof Error ? error.message : String(error)}</p>
      </main>
    );
  },
);
