import type { ReviewPictureDetail } from '../../../../shared/review-types';

/** The slide around the picture: what the model was given, and where the picture sits. */
export function ReviewSlideContext({ detail }: { readonly detail: ReviewPictureDetail }) {
  const { slide, position } = detail;
  return (
    <section className="review-slide" aria-labelledby="review-slide-heading">
      <h4 id="review-slide-heading">{slide ? `Slide ${slide.number}${slide.title ? `: ${slide.title}` : ''}` : 'Slide'}</h4>
      {position ? <SlidePosition detail={detail} /> : null}
      {slide ? (
        <dl className="review-slide-text">
          <div>
            <dt>Text on the slide</dt>
            <dd>{slide.text || <em>none</em>}</dd>
          </div>
          <div>
            <dt>Speaker notes</dt>
            <dd>{slide.notes || <em>none</em>}</dd>
          </div>
          {detail.text_in_image ? (
            <div>
              <dt>Text read in the picture</dt>
              <dd>{detail.text_in_image}</dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p className="hint">In a slide layout or master, not on a slide.</p>
      )}
    </section>
  );
}

function where(fraction: number, low: string, middle: string, high: string): string {
  return fraction < 1 / 3 ? low : fraction < 2 / 3 ? middle : high;
}

/** The slide as an outline with the picture's place marked, and the same in words. */
function SlidePosition({ detail }: { readonly detail: ReviewPictureDetail }) {
  const position = detail.position;
  if (!position) return null;
  const width = 160;
  const height = Math.round((width * position.slide_cy) / Math.max(1, position.slide_cx));
  const scale = width / Math.max(1, position.slide_cx);
  const centreX = (position.x + position.cx / 2) / position.slide_cx;
  const centreY = (position.y + position.cy / 2) / position.slide_cy;
  const share = Math.round(((position.cx * position.cy) / (position.slide_cx * position.slide_cy)) * 100);
  const words = `The picture sits ${where(centreY, 'at the top', 'in the middle', 'at the bottom')}, ${where(centreX, 'on the left', 'in the centre', 'on the right')} of the slide, covering about ${Math.max(1, Math.min(100, share))} % of it.`;
  return (
    <figure className="review-position">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true" focusable="false">
        <rect x="0.5" y="0.5" width={width - 1} height={height - 1} fill="var(--panel)" stroke="currentColor" />
        <rect
          x={Math.max(0, position.x * scale)}
          y={Math.max(0, position.y * scale)}
          width={Math.max(2, position.cx * scale)}
          height={Math.max(2, position.cy * scale)}
          fill="currentColor"
          fillOpacity="0.35"
          stroke="currentColor"
          strokeWidth="2"
        />
      </svg>
      <figcaption>{words}</figcaption>
    </figure>
  );
}
