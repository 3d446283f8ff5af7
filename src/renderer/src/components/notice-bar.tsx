import { useApp } from '../store/store-context';

/** The answer to the last action that needs one (a folder that cannot be opened here), until dismissed. */
export function NoticeBar() {
  const notice = useApp((state) => state.notice);
  const dismiss = useApp((state) => state.dismissNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="status">
      <p>{notice.text}</p>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
