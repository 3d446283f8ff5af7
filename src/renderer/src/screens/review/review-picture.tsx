import type { ReviewPicture as Picture } from '../../../../shared/ipc-contract';
import { useApp } from '../../store/store-context';
import { charCountText, decisionWords, shapeKindSuffix } from '../../text/review-text';

/** One picture: thumbnail, alt text before and after, the decision, and an editable description. */
export function ReviewPicture({ picture }: { readonly picture: Picture }) {
  const edit = useApp((state) => state.reviewEdits[picture.key]);
  const charLimit = useApp((state) => state.settings?.config.alt_text.char_limit ?? null);
  const editDescription = useApp((state) => state.editDescription);
  const value = edit ?? picture.after ?? '';
  const idBase = `picture-${picture.key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const title = `Slide ${picture.slide}: ${picture.shape_name || `shape ${picture.shape_id}`}${shapeKindSuffix(picture.kind)}`;
  return (
    <li className="review-picture" aria-labelledby={`${idBase}-title`}>
      <div className="review-thumb">
        {picture.thumbnail ? <img src={picture.thumbnail} alt={`Thumbnail of the picture on slide ${picture.slide}`} /> : <p className="hint">No thumbnail</p>}
      </div>
      <div className="review-body">
        <h3 id={`${idBase}-title`}>{title}</h3>
        <p className="badges">
          <span className="badge">{decisionWords(picture.decision)}</span>
          {picture.needs_review ? (
            <span className="badge badge-warning">
              <span aria-hidden="true">⚠️ </span>Needs review
            </span>
          ) : null}
          {picture.draft ? (
            <span className="badge badge-info">
              <span aria-hidden="true">📝 </span>Draft, not model output
            </span>
          ) : null}
        </p>
        {picture.reason ? <p className="hint">{picture.reason}</p> : null}
        <dl className="before-after">
          <div>
            <dt>Before</dt>
            <dd>{picture.before ?? <em>no alt text</em>}</dd>
          </div>
          <div>
            <dt>After</dt>
            <dd>{picture.after ?? <em>nothing written</em>}</dd>
          </div>
        </dl>
        {picture.long_description ? (
          <details className="long-description">
            <summary>Long description (in the speaker notes)</summary>
            <p>{picture.long_description}</p>
          </details>
        ) : null}
        <label htmlFor={`${idBase}-edit`}>
          Alt text to write for this picture<span className="visually-hidden"> ({title})</span>
        </label>
        <textarea
          id={`${idBase}-edit`}
          rows={3}
          value={value}
          aria-describedby={`${idBase}-count`}
          onChange={(event) => editDescription(picture.key, event.target.value)}
        />
        <p className="hint" id={`${idBase}-count`}>
          {charCountText(value, charLimit)}
          {edit !== undefined && edit.trim() !== (picture.after ?? '').trim() ? ' · edited, not applied yet' : ''}
        </p>
      </div>
    </li>
  );
}
