import { useApp } from '../../store/store-context';
import { Icon } from '../../components/icon';

/** What the last Apply, Undo, Export or regenerate did; an export's file can be opened from here. */
export function ReviewMessageBar() {
  const message = useApp((state) => state.reviewMessage);
  const host = useApp((state) => state.appInfo?.host ?? 'web');
  const showInFolder = useApp((state) => state.showInFolder);
  const openPath = useApp((state) => state.openPath);
  if (!message) return null;
  return (
    <div className="message message-success review-message" role="status" data-testid="review-message">
      <Icon name="check" />
      <span>{message.text}</span>
      {message.path && host === 'electron' ? (
        <>
          {' '}
          <button type="button" className="small" onClick={() => void openPath(message.path ?? '')}>
            Open
          </button>{' '}
          <button type="button" className="small" onClick={() => void showInFolder(message.path ?? '')}>
            Show in folder
          </button>
        </>
      ) : null}
    </div>
  );
}
