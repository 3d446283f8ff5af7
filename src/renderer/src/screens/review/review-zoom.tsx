import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../store/store-context';
import { focusPicturePane } from './use-review-keys';

/**
 * The picture at its full resolution: zoom with + and − (or the buttons), pan with the arrow
 * keys or by scrolling; Escape closes and the focus goes back to the picture.
 */
const STEPS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

export function ReviewZoom() {
  const zoomed = useApp((state) => state.reviewZoomed);
  const image = useApp((state) => state.reviewImage);
  const thumbnail = useApp((state) => state.reviewDetail?.thumbnail ?? null);
  const alt = useApp((state) => state.reviewDetail?.item.alt ?? null);
  const setZoom = useApp((state) => state.setReviewZoom);
  const dialog = useRef<HTMLDialogElement>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const [step, setStep] = useState(3);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (zoomed && !element.open) {
      setStep(3);
      element.showModal();
      viewport.current?.focus();
    }
    if (!zoomed && element.open) element.close();
  }, [zoomed]);

  const close = () => {
    setZoom(false);
    focusPicturePane();
  };
  const scale = STEPS[step] ?? 1;
  const zoom = (by: 1 | -1) => setStep((current) => Math.max(0, Math.min(STEPS.length - 1, current + by)));
  const source = image?.data_url ?? thumbnail;
  return (
    <dialog ref={dialog} className="review-dialog review-zoom" aria-labelledby="review-zoom-heading" onCancel={close}>
      <h3 id="review-zoom-heading">
        The picture at full size{image ? ` (${image.width} × ${image.height} pixels)` : ''}, shown at {Math.round(scale * 100)} %
      </h3>
      <div className="controls">
        <button type="button" onClick={() => zoom(-1)} aria-keyshortcuts="-">
          Zoom out
        </button>
        <button type="button" onClick={() => zoom(1)} aria-keyshortcuts="+">
          Zoom in
        </button>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
      <div
        ref={viewport}
        className="review-zoom-viewport"
        tabIndex={0}
        role="group"
        aria-label="Picture: arrow keys pan, + and − zoom"
        onKeyDown={(event) => {
          if (event.key === '+' || event.key === '=') zoom(1);
          else if (event.key === '-') zoom(-1);
        }}
      >
        {source ? (
          <img
            src={source}
            alt={alt ? `The picture: ${alt}` : 'The picture'}
            style={image ? { width: image.width * scale, height: image.height * scale, maxWidth: 'none' } : undefined}
            data-testid="review-zoom-image"
          />
        ) : (
          <p>No image to show.</p>
        )}
      </div>
    </dialog>
  );
}
