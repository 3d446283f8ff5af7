import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildDeck, buildLegacyPpt, writeTruncatedCopy, type DeckSpec } from '../../src/main/fixtures/deck-builder';
import { PROJECT } from './altgen-serve';

/**
 * A temp world for one test: a lecture folder of real decks (the fixture builder), a config
 * folder, a data folder, and the mode file that tells the scripted processor what to do with
 * each deck.
 */
export const SCRIPTED_PROCESSOR = path.join(PROJECT, 'src/main/batch/test-processors/scripted-processor.mjs');

export interface TestWorld {
  readonly root: string;
  readonly lectures: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly modeFile: string;
  setModes(modes: Readonly<Record<string, unknown>>): Promise<void>;
  writeConfig(yaml: string): Promise<void>;
  remove(): Promise<void>;
}

export async function makeTestWorld(): Promise<TestWorld> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'altgen-e2e-'));
  const world: TestWorld = {
    root,
    lectures: path.join(root, 'Lectures'),
    configDir: path.join(root, 'config'),
    dataDir: path.join(root, 'data'),
    modeFile: path.join(root, 'modes.json'),
    setModes: (modes) => writeFile(world.modeFile, JSON.stringify(modes)),
    writeConfig: async (yaml) => {
      await mkdir(world.configDir, { recursive: true });
      await writeFile(path.join(world.configDir, 'config.yaml'), yaml);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  await mkdir(world.lectures, { recursive: true });
  await mkdir(world.dataDir, { recursive: true });
  return world;
}

/** A deck of `slides` slides, each with a picture; every other picture already has alt text. */
export function lectureDeck(title: string, slides = 3): DeckSpec {
  return {
    title,
    slides: Array.from({ length: slides }, (_, i) => ({
      title: `${title}: part ${i + 1}`,
      text: 'Key points of the lecture.',
      pictures: [i % 2 === 0 ? {} : { descr: `Labelled diagram for part ${i + 1} of ${title}` }],
    })),
  };
}

export async function buildLectureDecks(folder: string, names: readonly string[]): Promise<void> {
  for (const name of names) await buildDeck(path.join(folder, name), lectureDeck(path.basename(name, '.pptx')));
}

export { buildDeck, buildLegacyPpt, writeTruncatedCopy };
