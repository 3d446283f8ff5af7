import { batchPhase } from '../../../../shared/batch-fold';
import { useApp } from '../../store/store-context';
import { nowText } from '../../text/now-text';

/** "Now: anatomy.pptx — picture 3 of 5": the file being worked on, whether or not its row is in view. */
export function NowLine() {
  const text = useApp((s) => (s.batch && batchPhase(s.batch) !== 'paused' ? nowText(s.batch) : null));
  if (!text) return null;
  return (
    <p className="now-line" data-testid="now-line">
      {text}
    </p>
  );
}
