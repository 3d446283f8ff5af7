import { useEffect, useRef } from 'react';
import { useApp } from '../../store/store-context';

/**
 * Asked once, on saving, when the policy turns to "overwrite": it replaces alt text that people
 * wrote. A modal dialog whose safe answer is the default (Escape and the first focus keep it).
 */
export function OverwriteConfirmDialog() {
  const open = useApp((state) => state.settingsConfirm === 'overwrite');
  const confirm = useApp((state) => state.confirmOverwrite);
  const cancel = useApp((state) => state.cancelOverwrite);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      keepRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby="overwrite-title" aria-describedby="overwrite-body" onClose={() => open && cancel()}>
      <h2 id="overwrite-title">Replace alt text that people wrote?</h2>
      <div id="overwrite-body">
        <p>
          With “Describe every picture that is not decorative”, AltGen writes a new description over every existing alt text, also the alt text
          that you or your colleagues wrote by hand, which is often better than a model’s.
        </p>
        <p>Your original decks are never changed: only the accessible copies get the new alt text.</p>
      </div>
      <div className="controls dialog-actions">
        <button type="button" ref={keepRef} onClick={cancel}>
          Keep people’s alt text (do not save)
        </button>
        <button type="button" className="danger" onClick={() => void confirm()}>
          Replace it and save
        </button>
      </div>
    </dialog>
  );
}
