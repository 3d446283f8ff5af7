import { describe, expect, it } from 'vitest';
import type { RecognisedText } from './ocr';
import { distinctLabels, ocrPromptContext } from './ocr-context';
import { buildPrompt, CONTEXT_LIMITS } from './prompts';

function recognised(lines: string[]): RecognisedText {
  return { lines, words: [], text: lines.join(' · '), confidence: 90, incomplete: null };
}

describe('ocrPromptContext', () => {
  it('quotes the labels in reading order and says they were machine-read', () => {
    expect(ocrPromptContext(recognised(['Left ventricle', 'Aortic valve']))).toBe('"Left ventricle", "Aortic valve" (read by OCR, may contain errors)');
  });

  it('is null when the picture has no text', () => {
    expect(ocrPromptContext(null)).toBeNull();
    expect(ocrPromptContext(recognised([]))).toBeNull();
    expect(ocrPromptContext(recognised(['  ', '—']))).toBeNull();
  });

  it('leaves out repeated labels, whatever their case and punctuation', () => {
    expect(ocrPromptContext(recognised(['Aorta', 'Left  ventricle', 'aorta:', 'LEFT VENTRICLE']))).toBe('"Aorta", "Left ventricle" (read by OCR, may contain errors)');
  });

  it('keeps within the limit with whole labels and marks what it left out', () => {
    const lines = Array.from({ length: 60 }, (_, index) => `Label number ${index + 1}`);
    const context = ocrPromptContext(recognised(lines)) ?? '';
    expect(context.length).toBeLessThanOrEqual(CONTEXT_LIMITS.ocrText);
    expect(context).toMatch(/^"Label number 1", "Label number 2", .*"Label number \d+", … \(read by OCR, may contain errors\)$/);
  });

  it('cuts one overlong label at a word boundary inside its quotes', () => {
    const context = ocrPromptContext(recognised(['word '.repeat(100).trim()]), 80) ?? '';
    expect(context.length).toBeLessThanOrEqual(80);
    expect(context).toMatch(/^"word( word)*…" \(read by OCR, may contain errors\)$/);
  });

  it('turns double quotes in the text into single ones, so that each label stays one quotation', () => {
    expect(ocrPromptContext(recognised(['The "classic" triad']))).toBe(`"The 'classic' triad" (read by OCR, may contain errors)`);
  });

  it('goes into the prompt whole', () => {
    const ocrText = ocrPromptContext(recognised(Array.from({ length: 40 }, (_, index) => `Structure ${index}`)));
    const { prompt } = buildPrompt({ language: 'en', charLimit: 125, category: 'diagram', ocrText });
    expect(prompt).toContain(`Text in the picture: ${ocrText}`);
  });
});

describe('distinctLabels', () => {
  it('leaves out labels that repeat known text, and keeps the order of the rest', () => {
    expect(distinctLabels(['Cardiac anatomy', 'Right atrium', 'Left atrium', 'Right Atrium.'], ['Cardiac Anatomy', null])).toEqual([
      'Right atrium',
      'Left atrium',
    ]);
  });
});
