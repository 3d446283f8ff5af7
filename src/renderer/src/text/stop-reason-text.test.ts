import { describe, expect, it } from 'vitest';
import { stopDetails, stopReasonHeadline } from './stop-reason-text';

describe('stop reasons', () => {
  it('says a stop at the user’s request once: the runner’s message repeats the headline', () => {
    expect(stopReasonHeadline('stop-after-current')).toBe('Stopped at your request after the running files finished.');
    expect(stopDetails('stop-after-current', 'Stopped at your request after the running files finished.')).toBeNull();
    expect(stopDetails('stop-now', 'Stopped at your request.')).toBeNull();
  });

  it('keeps a message that says more than the headline, in plain words', () => {
    expect(stopDetails('model-missing', 'The model "llava" is not on the server. Run `ollama pull llava`, then run the batch again.')).toBe(
      'The model "llava" is not on the server. Run ollama pull llava, then run the batch again.',
    );
    expect(stopDetails('error-threshold', null)).toBeNull();
  });
});
