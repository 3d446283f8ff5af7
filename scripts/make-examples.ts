import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDeck, buildLegacyPpt, type DeckSpec } from '../src/main/fixtures/deck-builder';

/**
 * Writes the example batch shipped in `examples/lecture/` (`npm run examples`). The output is
 * deterministic: running it again leaves every byte as it was.
 */

export const EXAMPLE_DECKS: Readonly<Record<string, DeckSpec>> = {
  '01-cardiac-anatomy.pptx': {
    title: 'Cardiac anatomy',
    slides: [
      { title: 'Cardiac anatomy', text: 'Cardiovascular block, lecture 4', notes: 'Welcome; recap of the mediastinum.' },
      {
        title: 'Chambers and valves',
        text: 'Four chambers, four valves',
        pictures: [
          {
            name: 'Heart diagram',
            descr:
              'Anterior view of the heart with the four chambers labelled: right atrium, right ventricle, left atrium and left ventricle.',
          },
          { name: 'Picture 3', descr: 'Picture 3' },
        ],
        notes: 'Point out the tricuspid and mitral valves on the diagram.',
      },
      {
        title: 'Coronary circulation',
        pictures: [
          {
            name: 'Coronary angiogram',
            descr: 'Coronary angiogram in right anterior oblique view showing the left anterior descending artery and its diagonal branches.',
          },
          { name: 'Picture 5' },
        ],
      },
      { title: 'Conduction system', text: 'SA node → AV node → bundle of His → Purkinje fibres', pictures: [{ name: 'Picture 7' }] },
    ],
  },
  '02-renal-physiology.pptx': {
    title: 'Renal physiology',
    slides: [
      { title: 'Renal physiology', text: 'Renal block, lecture 2', pictures: [{ name: 'Logo', decorative: true }] },
      {
        title: 'The nephron',
        pictures: [{ name: 'Nephron diagram', descr: 'Diagram of a nephron from glomerulus to collecting duct.' }, { name: 'Picture 4' }],
        notes: 'Trace the filtrate from Bowman’s capsule to the collecting duct.',
      },
      { title: 'Glomerular filtration rate', text: 'GFR ≈ 125 mL/min', pictures: [{ name: 'Picture 6' }] },
    ],
  },
  'imaging/03-chest-xray-reading.pptx': {
    title: 'Reading a chest X-ray',
    slides: [
      { title: 'Reading a chest X-ray', text: 'A systematic approach: ABCDE' },
      {
        title: 'Normal vs. pneumothorax',
        pictures: [
          { name: 'Normal PA film', inGroup: true, descr: 'Normal posteroanterior chest radiograph.' },
          { name: 'Pneumothorax film', inGroup: true },
          { name: 'Arrow', inGroup: true, decorative: true },
        ],
        notes: 'Ask the students to find the visceral pleural line before revealing the arrow.',
      },
      { title: 'Practice case', pictures: [{ name: 'Case film' }] },
    ],
  },
};

export const EXAMPLE_LEGACY_FILE = 'legacy/old-lecture.ppt';

/** Writes the examples under `root`; returns the paths written. */
export async function makeExamples(root: string): Promise<string[]> {
  const written: string[] = [];
  for (const [relative, spec] of Object.entries(EXAMPLE_DECKS)) {
    const file = path.join(root, relative);
    await buildDeck(file, spec);
    written.push(file);
  }
  const legacy = path.join(root, EXAMPLE_LEGACY_FILE);
  await buildLegacyPpt(legacy);
  written.push(legacy);
  return written;
}

export const DEFAULT_EXAMPLES_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples/lecture');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const written = await makeExamples(DEFAULT_EXAMPLES_ROOT);
  for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
