import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ReviewPictureDetail } from '../../../../shared/review-types';
import { useApp } from '../../store/store-context';
import { charCountText } from '../../text/review-text';
import { focusPicturePane } from './use-review-keys';

/**
 * The alt text and the long description, editable: a count against `char_limit` with the
 * guidance for length; Ctrl+Enter saves, Escape puts the text back. Alt text a person wrote
 * before AltGen stays read-only until the reviewer has said they mean to change it.
 */
export function ReviewAltEditor({ detail }: { readonly detail: ReviewPictureDetail }) {
  const { item } = detail;
  const charLimit = useApp((state) => state.reviewQueue?.char_limit ?? null);
  const editing = useApp((state) => state.reviewEditing);
  const busy = useApp((state) => state.reviewBusy);
  const reviewAct = useApp((state) => state.reviewAct);
  const startEdit = useApp((state) => state.startReviewEdit);
  const endEdit = useApp((state) => state.endReviewEdit);
  const [alt, setAlt] = useState(item.alt ?? '');
  const [long, setLong] = useState(detail.long_description ?? '');
  const altRef = useRef<HTMLTextAreaElement>(null);
  const longRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setAlt(item.alt ?? '');
    setLong(detail.long_description ?? '');
  }, [item.alt, detail.long_description, item.key, item.deck]);

  useEffect(() => {
    // After the question before editing has closed, which gives the focus back to the picture.
    const frame = requestAnimationFrame(() => {
      if (editing === 'alt') altRef.current?.focus();
      if (editing === 'long') longRef.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [editing]);

  const locked = detail.human_alt && !item.edited && editing !== 'alt';
  const readOnly = item.decorative || locked;
  const showLong = detail.long_description !== null || editing === 'long';

  const save = async (field: 'alt' | 'long') => {
    const done = await reviewAct(field === 'alt' ? { type: 'edit', alt } : { type: 'edit-long', text: long });
    if (done) {
      endEdit();
      focusPicturePane();
    }
  };
  const keys = (field: 'alt' | 'long') => (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save(field);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (field === 'alt') setAlt(item.alt ?? '');
      else setLong(detail.long_description ?? '');
      endEdit();
      focusPicturePane();
    }
  };
  const altChanged = alt.replace(/\s+/g, ' ').trim() !== (item.alt ?? '').replace(/\s+/g, ' ').trim();
  const longChanged = long.replace(/\s+/g, ' ').trim() !== (detail.long_description ?? '').replace(/\s+/g, ' ').trim();

  return (
    <div className="review-editor">
      <label htmlFor="review-alt-text">Alt text to write</label>
      <textarea
        id="review-alt-text"
        ref={altRef}
        rows={3}
        value={item.decorative ? '' : alt}
        readOnly={readOnly}
        aria-describedby="review-alt-count review-alt-note"
        onChange={(event) => setAlt(event.target.value)}
        onKeyDown={keys('alt')}
        placeholder={item.decorative ? 'Decorative: no alt text' : undefined}
      />
      <p className="hint" id="review-alt-count">
        {charCountText(item.decorative ? '' : alt, charLimit)}
      </p>
      <p className="hint" id="review-alt-note">
        {item.decorative
          ? 'Marked decorative: screen readers skip it. Press D to give it alt text.'
          : locked
            ? 'A person wrote this alt text before AltGen: choose Edit to change it.'
            : 'Ctrl+Enter saves, Escape puts the text back.'}
      </p>
      <div className="controls">
        {locked && !item.decorative ? (
          <button type="button" onClick={() => startEdit('alt')}>
            Edit…
          </button>
        ) : (
          <button type="button" aria-disabled={busy !== null || readOnly || !altChanged} onClick={() => (busy !== null || readOnly || !altChanged ? undefined : void save('alt'))}>
            Save alt text
          </button>
        )}
      </div>
      {showLong ? (
        <>
          <label htmlFor="review-long-text">Long description (in the slide's speaker notes)</label>
          <textarea
            id="review-long-text"
            ref={longRef}
            rows={4}
            value={long}
            aria-describedby="review-long-note"
            onChange={(event) => setLong(event.target.value)}
            onKeyDown={keys('long')}
          />
          <p className="hint" id="review-long-note">
            {long.trim().length} characters. Ctrl+Enter saves; an empty text takes it out of the notes.
          </p>
          <div className="controls">
            <button type="button" aria-disabled={busy !== null || !longChanged} onClick={() => (busy !== null || !longChanged ? undefined : void save('long'))}>
              Save long description
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}
