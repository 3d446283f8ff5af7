import { thresholdQuestion } from '../../store/settings-form';
import { useApp } from '../../store/store-context';

/**
 * "Did you mean 50 %?", under the error threshold when a value below 1 is typed: config.yaml
 * writes 50 % as 0.5, and 0.5 % would stop a batch at its first failed file.
 */
export function ThresholdQuestion() {
  // Fields, not the question: a selector must not make a new object on every call.
  const form = useApp((state) => state.settingsForm);
  const keptAsTyped = useApp((state) => state.thresholdKeptAsTyped);
  const answer = useApp((state) => state.answerThreshold);
  const question = form ? thresholdQuestion(form, keptAsTyped) : null;
  if (!question) return null;
  return (
    <div className="field-question" role="group" aria-labelledby="threshold-question">
      <p id="threshold-question">
        {question.typed} here means {question.typed} % (the batch would stop at its first failed file). Did you mean {question.suggestion} %?
      </p>
      <div className="controls">
        <button type="button" className="primary" onClick={() => answer(true)}>
          Use {question.suggestion} %
        </button>
        <button type="button" onClick={() => answer(false)}>
          Keep {question.typed} %
        </button>
      </div>
    </div>
  );
}
