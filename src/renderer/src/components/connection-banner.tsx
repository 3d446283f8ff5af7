import { useApp } from '../store/store-context';

/** Said when main cannot be reached: the web UI's server stopped, or the app is shutting down. */
export function ConnectionBanner() {
  const lost = useApp((state) => state.connectionLost);
  const startError = useApp((state) => state.appInfoError);
  if (!lost && !startError) return null;
  return (
    <div className="banner banner-error" role="alert">
      <p>
        <strong>AltGen cannot reach its engine.</strong>{' '}
        {lost
          ? 'Trying to reconnect… If altgen serve stopped, start it again: this page reconnects by itself (the address stays the same), and a batch that was running can then be resumed.'
          : startError?.message}
      </p>
    </div>
  );
}
