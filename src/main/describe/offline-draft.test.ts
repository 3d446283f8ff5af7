import { describe, expect, it } from 'vitest';
import type { RecognisedText } from './ocr';
import { offlineDraft, type OfflineDraftInput } from './offline-draft';

function recognised(lines: string[]): RecognisedText {
  return { lines, words: [], text: lines.join(' · '), confidence: 90, incomplete: null };
}

function input(overrides: Partial<OfflineDraftInput>): OfflineDraftInput {
  return { recognisedText: null, slideTitle: null, slideText: '', deckTitle: '', charLimit: 125, ...overrides };
}

describe('offlineDraft', () => {
  it('names the labels read in the picture and the slide it is on', () => {
    expect(offlineDraft(input({ recognisedText: recognised(['Left ventricle', 'Aortic valve']), slideTitle: 'Cardiac anatomy' }))).toEqual({
      text: 'Image labelled: Left ventricle, Aortic valve (slide: Cardiac anatomy)',
      basis: 'text-in-image',
    });
  });

  it('leaves out repeated labels and those that only repeat the slide or deck title, in reading order', () => {
    const draft = offlineDraft(
      input({
        recognisedText: recognised(['Cardiology 101', 'Cardiac anatomy', 'Right atrium', 'Left atrium', 'right atrium', 'Left ventricle']),
        slideTitle: 'Cardiac Anatomy',
        deckTitle: 'Cardiology 101',
      }),
    );
    expect(draft?.text).toBe('Image labelled: Right atrium, Left atrium, Left ventricle (slide: Cardiac Anatomy)');
  });

  it('calls the picture what its category says it is, when the caller knows', () => {
    expect(offlineDraft(input({ recognisedText: recognised(['Systole', 'Diastole']), category: 'diagram' }))?.text).toBe('Diagram labelled: Systole, Diastole');
    expect(offlineDraft(input({ recognisedText: recognised(['Systole']), category: 'auto' }))?.text).toBe('Image labelled: Systole');
  });

  it('quotes longer text as text, line by line', () => {
    const draft = offlineDraft(input({ recognisedText: recognised(['Drug Dose Route of administration today', 'Atenolol 50 mg Oral']), charLimit: 200 }));
    expect(draft?.text).toBe('Image with the text: Drug Dose Route of administration today; Atenolol 50 mg Oral');
  });

  it('separates labels with semicolons when a label holds a comma', () => {
    expect(offlineDraft(input({ recognisedText: recognised(['Na+, K+ pump', 'Cl- channel']) }))?.text).toBe('Image labelled: Na+, K+ pump; Cl- channel');
  });

  it('fits the limit: the slide goes first, then whole labels, never a cut word', () => {
    const labels = ['Right atrium', 'Left atrium', 'Right ventricle', 'Left ventricle', 'Aortic valve', 'Mitral valve'];
    const withoutSlide = offlineDraft(input({ recognisedText: recognised(labels), slideTitle: 'The four chambers of the heart', charLimit: 110 }));
    expect(withoutSlide?.text).toBe('Image labelled: Right atrium, Left atrium, Right ventricle, Left ventricle, Aortic valve, Mitral valve');
    const fewer = offlineDraft(input({ recognisedText: recognised(labels), charLimit: 62 }));
    expect(fewer?.text).toBe('Image labelled: Right atrium, Left atrium, Right ventricle, …');
    const tiny = offlineDraft(input({ recognisedText: recognised(['Pulmonary semilunar valve']), charLimit: 30 }));
    expect(tiny?.text.length).toBeLessThanOrEqual(30);
    expect(tiny?.text).toBe('Image labelled: Pulmonary…');
  });

  it('falls back to the slide when the picture has no text of its own', () => {
    expect(offlineDraft(input({ recognisedText: recognised([]), slideTitle: 'Cardiac anatomy' }))).toEqual({
      text: 'Image on the slide "Cardiac anatomy"',
      basis: 'slide-context',
    });
    expect(offlineDraft(input({ recognisedText: recognised(['Cardiac anatomy']), slideTitle: 'Cardiac anatomy' }))?.basis).toBe('slide-context');
  });

  it("takes a slide's only short line of text for its missing title", () => {
    expect(offlineDraft(input({ slideText: 'Figure 2: coronary arteries\n' }))?.text).toBe('Image on the slide "Figure 2: coronary arteries"');
    expect(offlineDraft(input({ slideText: 'Systole\nDiastole' }))).toBeNull();
    expect(offlineDraft(input({ slideText: 'A long paragraph of prose that explains the cardiac cycle in more words than a caption ever has.' }))).toBeNull();
  });

  it('is null when neither the picture nor its slide gives anything to say', () => {
    expect(offlineDraft(input({}))).toBeNull();
    expect(offlineDraft(input({ recognisedText: recognised([]), deckTitle: 'Cardiology 101' }))).toBeNull();
  });
});
