import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';

/**
 * What happened to the pictures of the finished files: all files can be complete while the
 * model described none of their pictures, and this is where that shows.
 */
export function PictureCounts() {
  const pictures = useApp((state) => state.batch?.pictures ?? null);
  if (!pictures) return null;
  return (
    <ul className="status-counts picture-counts" aria-label="Pictures" data-testid="picture-counts">
      <li data-outcome="described">
        <Icon name="picture" />
        Pictures described <strong>{pictures.described}</strong>
      </li>
      <li data-outcome="needs-review">
        {pictures.needs_review > 0 ? <Icon name="warning" /> : null}
        Need review <strong>{pictures.needs_review}</strong>
        {pictures.model_failed > 0 ? ` (the model could not describe ${pictures.model_failed})` : null}
      </li>
      <li data-outcome="drafted">
        Drafted <strong>{pictures.drafted}</strong>
      </li>
    </ul>
  );
}
