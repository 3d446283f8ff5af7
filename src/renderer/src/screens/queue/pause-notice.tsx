import { BusyButton } from '../../components/busy-button';
import { Icon } from '../../components/icon';
import { useFocusTarget } from '../../components/use-focus-target';
import { useApp } from '../../store/store-context';

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * A batch waiting for the model server: the batch's diagnosis, said once, what happens next (it
 * goes on by itself), and "Try now" for someone who has just started the server. The heading
 * above says until when; the live region has announced it once.
 */
export function PauseNotice() {
  const pause = useApp((s) => (s.batch?.state === 'running' ? s.batch.pause : null));
  const retrying = useApp((s) => s.modelRetrying);
  const answer = useApp((s) => s.modelRetryAnswer);
  const provider = useApp((s) => s.modelStatus?.provider);
  const tryModelNow = useApp((s) => s.tryModelNow);
  const answerRef = useFocusTarget<HTMLParagraphElement>('model-retry');
  if (!pause) return null;
  const start = provider === 'ollama' ? ' If it is not running, start it (with ollama serve, or the Ollama app).' : ' If it is not running, start it.';
  return (
    <div className="message message-warning pause-notice" data-testid="pause-reason">
      <p>
        <Icon name="pause" />
        <strong>{pause.message}</strong>
      </p>
      <p>No file fails for this: AltGen asks the model server again every few seconds and goes on by itself as soon as it answers.{start}</p>
      <div className="controls">
        <BusyButton busy={retrying} onClick={() => void tryModelNow()}>
          {retrying ? 'Trying…' : 'Try now'}
        </BusyButton>
      </div>
      {answer && !answer.answering ? (
        <p tabIndex={-1} ref={answerRef} data-testid="model-retry-answer">
          Checked at {TIME.format(answer.at)}: the model server still does not answer.
        </p>
      ) : null}
    </div>
  );
}
