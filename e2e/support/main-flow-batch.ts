import path from 'node:path';
import { SCRIPTED_PROCESSOR, buildLectureDecks, buildLegacyPpt, writeTruncatedCopy, type TestWorld } from './lecture-folder';

/**
 * The folder the main flow runs, whichever host drives it (`altgen serve` in Chromium, or the
 * Electron app): six lectures that succeed, one deck the processor fails, a damaged copy that
 * is rejected as input, and a legacy .ppt that is skipped; 9 files, 8 of them decks. Every deck
 * takes 2 s and one runs at a time, so the batch is still going when the host is killed.
 * The processor is the scripted test processor, told per deck what to do by the world's mode
 * file (the host must get ALTGEN_TEST_MODE_FILE in its environment).
 */
export const LECTURES = ['lecture-01.pptx', 'lecture-02.pptx', 'lecture-03.pptx', 'lecture-04.pptx', 'lecture-05.pptx', 'lecture-06.pptx'];
const SLOW = ['slow', '--delay-ms', '2000'];

/** Builds the decks, the modes and the config (processor, and the fake model server at `modelUrl`). */
export async function prepareMainFlowBatch(world: TestWorld, modelUrl: string): Promise<void> {
  await buildLectureDecks(world.lectures, LECTURES);
  await buildLectureDecks(world.lectures, ['broken-upload.pptx']);
  await writeTruncatedCopy(path.join(world.lectures, 'lecture-01.pptx'), path.join(world.lectures, 'damaged.pptx'), 0.5);
  await buildLegacyPpt(path.join(world.lectures, 'old-lecture.ppt'));
  await world.setModes({ 'broken-upload.pptx': 'fail', 'damaged.pptx': 'input-problem', '*': SLOW });
  await world.writeConfig(
    [
      'processor:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPTED_PROCESSOR)}, "by-file", "{input}", "{output}"]`,
      'model:',
      `  base_url: ${JSON.stringify(modelUrl)}`,
      '  name: llava',
      'batch_processing:',
      '  default_max_workers: 1',
      '  stop_on_error_threshold: 1',
      '',
    ].join('\n'),
  );
}
