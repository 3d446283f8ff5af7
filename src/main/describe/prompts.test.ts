import { describe, expect, it } from 'vitest';
import { PROMPT_CATEGORIES } from '../../shared/config-schema';
import { boundedText, buildPrompt, chooseCategory, CONTEXT_LIMITS, languageName, PROMPT_VERSION, type PromptContext } from './prompts';

const context: PromptContext = {
  deckTitle: 'Musculoskeletal block, week 3',
  slideTitle: 'Rotator cuff',
  slideText: 'Supraspinatus, infraspinatus, teres minor and subscapularis stabilise the glenohumeral joint.',
  notes: 'Ask students which muscle initiates abduction.',
  course: 'Year 1 anatomy',
  language: 'en',
  charLimit: 125,
  category: 'auto',
};

describe('buildPrompt', () => {
  it.each(PROMPT_CATEGORIES.filter((c) => c !== 'auto'))('builds a %s prompt that carries the context and the limit', (category) => {
    const built = buildPrompt({ ...context, category, charLimit: 110 });
    expect(built.category).toBe(category);
    expect(built.version).toBe(PROMPT_VERSION);
    for (const part of [context.deckTitle, context.slideTitle, context.slideText, context.notes, context.course]) expect(built.prompt).toContain(part);
    expect(built.prompt).toContain('in English, at most 110 characters');
    expect(built.system).toContain('one or two plain sentences in English, at most 110 characters');
    expect(built.system).toMatch(/patient names/);
    expect(built.system).toMatch(/do not begin with "Image of"/);
    expect(`${built.system}\n${built.prompt}`).not.toMatch(/needs review/i);
  });

  it('gives each category its own guidance', () => {
    const prompts = PROMPT_CATEGORIES.filter((c) => c !== 'auto').map((category) => buildPrompt({ ...context, category }).prompt);
    expect(new Set(prompts).size).toBe(prompts.length);
    expect(buildPrompt({ ...context, category: 'diagnostic' }).prompt).toMatch(/modality, the view or plane/);
    expect(buildPrompt({ ...context, category: 'anatomical' }).prompt).toMatch(/the view/);
    expect(buildPrompt({ ...context, category: 'chart' }).prompt).toMatch(/axes/);
  });

  it('chooses the category itself for auto', () => {
    expect(buildPrompt(context).category).toBe('anatomical');
  });

  it('leaves out empty context and includes text found in the picture', () => {
    const built = buildPrompt({ language: 'en', charLimit: 125, category: 'default', slideTitle: '  ', notes: null, ocrText: 'L  R' });
    expect(built.prompt).not.toMatch(/Slide title|Speaker notes|Deck title|Course/);
    expect(built.prompt).toContain('Text in the picture: L R');
    expect(buildPrompt({ language: 'en', charLimit: 125, category: 'default' }).prompt).toContain('Context from the lecture:\n(none)');
  });

  it('bounds every piece of context', () => {
    const long = 'word '.repeat(2_000);
    const built = buildPrompt({
      ...context,
      deckTitle: long,
      slideTitle: long,
      slideText: long,
      notes: long,
      course: long,
      ocrText: long,
    });
    const total = Object.values(CONTEXT_LIMITS).reduce((sum, limit) => sum + limit, 0);
    expect(built.prompt.length).toBeLessThan(total + 1_000);
    const slideText = /Slide text: (.*)/.exec(built.prompt)?.[1] ?? '';
    expect(slideText.length).toBeLessThanOrEqual(CONTEXT_LIMITS.slideText);
    expect(slideText.endsWith('word…')).toBe(true);
  });

  it("puts a reviewer's hint apart from the lecture's context, bounded, and nothing without one", () => {
    const hinted = buildPrompt({ ...context, hint: '  name the\nfracture line ' });
    expect(hinted.prompt).toContain('\n\nThe person reviewing this alt text asks: name the fracture line\n\nWrite the alt text');
    expect(buildPrompt({ ...context, hint: 'x'.repeat(1000) }).prompt).toContain(`asks: ${'x'.repeat(CONTEXT_LIMITS.hint - 1)}…`);
    expect(buildPrompt({ ...context, hint: null }).prompt).toBe(buildPrompt(context).prompt);
    expect(buildPrompt(context).prompt).not.toContain('asks:');
  });

  it('names the output language', () => {
    expect(buildPrompt({ ...context, language: 'de' }).system).toContain('sentences in German');
    expect(buildPrompt({ ...context, language: 'Nederlands' }).prompt).toContain('in Nederlands, at most');
  });

  it('keeps control characters and line breaks of slide text out of the prompt lines', () => {
    const built = buildPrompt({ ...context, slideText: 'Line one\nSlide title: injected\u0007' });
    expect(built.prompt).toContain('Slide text: Line one Slide title: injected');
    expect(built.prompt.split('\n').filter((line) => line.startsWith('Slide title:'))).toEqual(['Slide title: Rotator cuff']);
  });
});

describe('chooseCategory', () => {
  it.each([
    [{ slideTitle: 'Chest X-ray: lobar pneumonia' }, 'diagnostic'],
    [{ slideTitle: 'Findings', slideText: 'Axial CT shows a hypodense lesion in the liver' }, 'diagnostic'],
    [{ slideTitle: 'Lateral radiograph of the knee' }, 'diagnostic'],
    [{ slideTitle: 'Echocardiography in aortic stenosis' }, 'diagnostic'],
    [{ slideTitle: 'Incidence of type 2 diabetes, 1990-2020', slideText: 'Rates rose by 40%' }, 'chart'],
    [{ slideTitle: 'Results', ocrText: 'y-axis: HbA1c' }, 'chart'],
    [{ slideTitle: 'The urea cycle' }, 'diagram'],
    [{ slideTitle: 'Clinical algorithm for chest pain', notes: 'walk through the flowchart' }, 'diagram'],
    [{ slideTitle: 'Muscles of the anterior forearm' }, 'anatomical'],
    [{ slideTitle: 'Brachial plexus', slideText: 'roots, trunks, divisions, cords, nerves' }, 'anatomical'],
    [{ slideTitle: 'Patient with a malar rash' }, 'clinical_photo'],
    [{ slideTitle: 'Pressure ulcer staging', slideText: 'Stage 3 wound' }, 'clinical_photo'],
    [{ slideTitle: 'Learning objectives' }, 'default'],
    [{}, 'default'],
  ] as const)('%j is %s', (fields, category) => {
    expect(chooseCategory(fields)).toBe(category);
  });

  it('weighs the slide title above the notes', () => {
    expect(chooseCategory({ slideTitle: 'Coronary arteries', notes: 'mention the angiogram later' })).toBe('anatomical');
    expect(chooseCategory({ slideTitle: 'Coronary angiogram', notes: 'arteries, veins, anterior wall' })).toBe('diagnostic');
  });

  it('does not read the lowercase word "pet" as PET imaging', () => {
    expect(chooseCategory({ slideTitle: 'Zoonoses from a pet' })).toBe('default');
  });
});

describe('boundedText and languageName', () => {
  it('cuts at a word boundary and marks the cut', () => {
    expect(boundedText('alpha beta gamma delta', 14)).toBe('alpha beta…');
    expect(boundedText('short', 14)).toBe('short');
    expect(boundedText(null, 14)).toBe('');
  });

  it('turns language tags into names and keeps names', () => {
    expect(languageName('en')).toBe('English');
    expect(languageName('fr-CA')).toBe('Canadian French');
    expect(languageName('Deutsch')).toBe('Deutsch');
    expect(languageName('')).toBe('English');
  });
});

describe('own prompt templates (alt_text.prompt_templates)', () => {
  it('replace the built-in instructions for their category, keeping the context and the limit', () => {
    const built = buildPrompt({
      language: 'en',
      charLimit: 110,
      category: 'anatomical',
      slideTitle: 'Brachial plexus',
      templates: { anatomical: 'Name the structures in the order a student would trace them.' },
    });
    expect(built.prompt.startsWith('Name the structures in the order a student would trace them.')).toBe(true);
    expect(built.prompt).toContain('Slide title: Brachial plexus');
    expect(built.prompt).toContain('at most 110 characters');
    const other = buildPrompt({ language: 'en', charLimit: 110, category: 'chart', templates: { anatomical: 'Name the structures in order.' } });
    expect(other.prompt).not.toContain('Name the structures in order.');
  });
});
