import { describe, expect, it } from 'vitest';
import { cleanAnswer } from './clean-answer';
import { buildPrompt } from './prompts';

describe('cleanAnswer', () => {
  it.each([
    ['This image shows a lateral chest radiograph with a right lower lobe consolidation.', 'A lateral chest radiograph with a right lower lobe consolidation.'],
    ['The image depicts the brachial plexus from C5 to T1', 'The brachial plexus from C5 to T1.'],
    ['In this image, the femoral artery is highlighted in red.', 'The femoral artery is highlighted in red.'],
    ['Here is a description: Axial CT of the abdomen showing a splenic laceration.', 'Axial CT of the abdomen showing a splenic laceration.'],
    ["Here's a concise alt text for the image:\n\n\"Flowchart of the coagulation cascade.\"", 'Flowchart of the coagulation cascade.'],
    ['Sure! Alt text: "Bar chart of influenza cases per month in 2023."', 'Bar chart of influenza cases per month in 2023.'],
    ['An image of a hand with a vesicular rash on the palm.', 'A hand with a vesicular rash on the palm.'],
    ['This is a picture of the Krebs cycle with its eight steps.', 'The Krebs cycle with its eight steps.'],
    ['The image is a sagittal T2-weighted MRI of the lumbar spine.', 'A sagittal T2-weighted MRI of the lumbar spine.'],
    ['**Anterior view** of the heart with the *coronary arteries* labelled.', 'Anterior view of the heart with the coronary arteries labelled.'],
    ['# Description\n- Histology slide of the liver\n- H&E stain', 'Histology slide of the liver. H&E stain.'],
    ['Alt text\nPosterior view of the scapula', 'Posterior view of the scapula.'],
    ['```\nSchematic of the nephron\n```', 'Schematic of the nephron.'],
    ['[Axial MRI](http://x) of the brain, ![logo](a.png)', 'Axial MRI of the brain, logo.'],
    ['  “Kaplan-Meier survival curves for two treatment arms”  ', 'Kaplan-Meier survival curves for two treatment arms.'],
    ['mRNA translation at the ribosome.', 'mRNA translation at the ribosome.'],
    ['pie chart of causes of death!', 'Pie chart of causes of death.'],
    ['Skeletal muscle fibres in cross-section...', 'Skeletal muscle fibres in cross-section.'],
    ['The diagram shows the renin-angiotensin system.', 'The diagram shows the renin-angiotensin system.'],
    ['This is a PA chest X-ray showing a left pneumothorax.', 'A PA chest X-ray showing a left pneumothorax.'],
    ['In the image, there is a diagram of the cardiac conduction system.', 'A diagram of the cardiac conduction system.'],
    ['Alt text for the slide: Coronal MRI of the knee.', 'Coronal MRI of the knee.'],
    ['The image features a close-up of a hand with a rash.', 'A close-up of a hand with a rash.'],
    ['Error bars show 95% confidence intervals for each group.', 'Error bars show 95% confidence intervals for each group.'],
  ])('cleans %j', (raw, text) => {
    expect(cleanAnswer(raw, 125)).toEqual({ text });
  });

  it.each([
    ['', 'the model gave an empty answer'],
    ['   \n  ', 'the model gave an empty answer'],
    ['""', 'the model gave an empty answer'],
    ["I'm sorry, but I can't assist with that request.", 'the model refused to describe the picture'],
    ['I cannot see the image you provided.', 'the model refused to describe the picture'],
    ['As an AI language model, I am unable to view pictures.', 'the model refused to describe the picture'],
    ['Unfortunately, the picture is too blurry to describe.', 'the model refused to describe the picture'],
    ['This image shows: I am unable to identify the image content.', 'the model refused to describe the picture'],
    ['Error: failed to load image', 'the model answered with an error message'],
    ['{"error":"model runner has unexpectedly stopped"}', 'the model answered with an error message'],
    ['CUDA error: out of memory', 'the model answered with an error message'],
    ['Needs review.', 'the model gave placeholder text instead of a description'],
    ['[Insert description here]', 'the model gave placeholder text instead of a description'],
    ['TODO', 'the model gave placeholder text instead of a description'],
    ['N/A', 'the model gave placeholder text instead of a description'],
    ['Image.', 'the model gave placeholder text instead of a description'],
    ['Write the alt text for this picture in English, at most 125 characters.', 'the answer only restates the prompt'],
    ['Could you tell me more about the slide?', 'the model asked a question instead of describing the picture'],
  ])('marks %j for review', (raw, needsReview) => {
    expect(cleanAnswer(raw, 125)).toEqual({ needsReview });
  });

  it('recognises an answer that only repeats the slide context it was given', () => {
    const { prompt } = buildPrompt({
      deckTitle: 'Cardiology 2',
      slideTitle: 'Heart failure with reduced ejection fraction',
      slideText: 'Loop diuretics relieve congestion but do not improve survival in chronic heart failure.',
      notes: null,
      course: 'Year 3 medicine',
      language: 'en',
      charLimit: 125,
      category: 'auto',
    });
    expect(cleanAnswer('Loop diuretics relieve congestion but do not improve survival in chronic heart failure.', 125, { prompt })).toEqual({
      needsReview: 'the answer only restates the prompt',
    });
    expect(cleanAnswer('Chest radiograph showing cardiomegaly and bilateral pleural effusions in heart failure.', 125, { prompt })).toEqual({
      text: 'Chest radiograph showing cardiomegaly and bilateral pleural effusions in heart failure.',
    });
  });

  it('keeps the whole sentences that fit the limit', () => {
    const raw = 'Axial CT of the chest in lung windows. A spiculated nodule sits in the right upper lobe near the fissure, with no effusion.';
    expect(cleanAnswer(raw, 60)).toEqual({ text: 'Axial CT of the chest in lung windows.' });
    expect(cleanAnswer(raw, 200)).toEqual({ text: raw });
  });

  it('does not take an abbreviation or a decimal for the end of a sentence', () => {
    const raw = 'Bar chart of HbA1c (mean 7.2 vs. 8.1 per cent, e.g. Fig. 2) in two groups. Error bars show the standard deviation of each group.';
    expect(cleanAnswer(raw, 90)).toEqual({ text: 'Bar chart of HbA1c (mean 7.2 vs. 8.1 per cent, e.g. Fig. 2) in two groups.' });
  });

  it('cuts a long first sentence at a word boundary, without a partial word, dangling word or ellipsis', () => {
    const raw =
      'Coronal contrast-enhanced CT of the abdomen and pelvis showing a large heterogeneous mass arising from the left kidney with invasion of the renal vein';
    const result = cleanAnswer(raw, 80);
    expect(result).toEqual({ text: 'Coronal contrast-enhanced CT of the abdomen and pelvis showing a large.' });
    if ('text' in result) {
      expect(result.text.length).toBeLessThanOrEqual(80);
      expect(raw.startsWith(result.text.slice(0, -1))).toBe(true);
    }
  });

  it('drops an unclosed parenthesis when it cuts', () => {
    expect(cleanAnswer('Lateral view of the knee joint (showing the anterior cruciate ligament and the menisci in detail)', 50)).toEqual({
      text: 'Lateral view of the knee joint.',
    });
  });

  it('never returns text longer than the limit', () => {
    const raw = 'Photomicrograph of renal cortex with crescentic glomerulonephritis, H&E stain, high power, showing cellular crescents in Bowman space. '.repeat(4);
    for (const limit of [40, 57, 80, 125, 200]) {
      const result = cleanAnswer(raw, limit);
      expect('text' in result && result.text.length <= limit).toBe(true);
    }
  });

  it('asks for review when not even one word fits', () => {
    expect(cleanAnswer('Pneumonoultramicroscopicsilicovolcanoconiosis-associated fibrosis', 40)).toEqual({
      needsReview: 'the answer could not be shortened to 40 characters at a word boundary',
    });
  });

  it('collapses answers to one line', () => {
    expect(cleanAnswer('Ultrasound of the gallbladder\nwith multiple gallstones\r\nand acoustic shadowing', 125)).toEqual({
      text: 'Ultrasound of the gallbladder with multiple gallstones and acoustic shadowing.',
    });
  });
});
