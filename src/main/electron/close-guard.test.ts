import { describe, expect, it } from 'vitest';
import { closeChoice, closePrompt, stopModeFor } from './close-guard';

describe('closing during a batch', () => {
  it('asks, keeping the batch running by default, and maps each answer to a stop', () => {
    const prompt = closePrompt(3);
    expect(prompt.message).toContain('3 files to go');
    expect(prompt.detail).toContain('Resume');
    expect(prompt.buttons[prompt.cancelId]).toBe('Keep running');
    expect(prompt.defaultId).toBe(prompt.cancelId);
    expect(prompt.buttons.map((_, i) => stopModeFor(closeChoice(i)))).toEqual([null, 'after-current', 'quit']);
    expect(closeChoice(99)).toBe('keep-running');
    expect(closePrompt(1).message).toContain('1 file to go');
  });
});
