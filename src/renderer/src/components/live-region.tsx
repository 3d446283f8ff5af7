import { useApp } from '../store/store-context';

/** The polite live region: batch started, stopped, finished, files failed, settings saved. */
export function LiveRegion() {
  const messages = useApp((state) => state.liveMessages);
  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-label="Announcements" data-testid="announcements">
      {messages.map((message) => (
        <p key={message.id}>{message.text}</p>
      ))}
    </div>
  );
}
