import { describe, expect, it } from 'vitest';
import { firstSentence, withoutCodeMarks } from './plain-sentence';

describe('firstSentence', () => {
  it('keeps the diagnosis and drops the advice after it, on one line', () => {
    expect(firstSentence('Cannot reach the Ollama server at http://127.0.0.1:11434 (connect ECONNREFUSED).\n Start Ollama with `ollama serve`, then run the batch again.')).toBe(
      'Cannot reach the Ollama server at http://127.0.0.1:11434 (connect ECONNREFUSED).',
    );
  });

  it('keeps a message of one sentence whole, dots in addresses and versions included', () => {
    expect(firstSentence('The server at http://10.0.0.2:8080 runs version 0.5.1 and answers nothing')).toBe(
      'The server at http://10.0.0.2:8080 runs version 0.5.1 and answers nothing',
    );
  });
});

describe('withoutCodeMarks', () => {
  it('turns Markdown code marks into plain words', () => {
    expect(withoutCodeMarks('Run `ollama pull llava`, then `ollama serve`.')).toBe('Run ollama pull llava, then ollama serve.');
  });
});
