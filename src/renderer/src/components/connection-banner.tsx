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
          ? 'Trying to reconnect… If you restarted `altgen serve`, open the new address it printed; a batch that was running can be resumed there.'
          : startError?.message}
      </p>
    </div>
  );
}
