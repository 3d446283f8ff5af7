import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeck, writeTextFile } from '../fixtures/deck-builder';
import { Sandbox, scriptedProcessorConfig, treeDigest } from '../batch/testing/altgen-cli';
import type { AuditCommandResult } from './audit-command';

/**
 * `altgen audit` and the dry run's accessibility lines, as a person runs them: the real CLI
 * (from source) over a folder of real decks. One deck built to fail (a picture without alt
 * text, a weak one, two slides with the same title), one built to pass, one that is not a deck.
 */

let box: Sandbox;
let lectures: string;

beforeAll(async () => {
  box = await Sandbox.create('altgen-audit-cli-');
  lectures = box.path('lectures');
  await fs.mkdir(lectures);
  await buildDeck(path.join(lectures, 'week 1.pptx'), {
    slides: [
      { title: 'Cardiac cycle', pictures: [{ name: 'Picture 1' }] },
      { title: 'Cardiac cycle', pictures: [{ name: 'Heart', descr: 'A heart' }] },
    ],
  });
  await buildDeck(path.join(lectures, 'week 2.pptx'), { slides: [{ title: 'The knee', pictures: [{ descr: 'Sagittal MRI of the knee' }] }] });
}, 60_000);

afterAll(async () => {
  await box.remove();
});

describe('altgen audit', () => {
  it('prints every finding with its slide, shape and advice, and the totals, and writes nothing', async () => {
    const before = await treeDigest(lectures);
    const result = await box.run(['audit', '--input-dir', lectures]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('week 1.pptx: 2 objects without alt text, 1 slide with a duplicate title');
    expect(lines).toContain("  ❌ Slide 1, 'Picture 1': The picture 'Picture 1' has no alt text.");
    expect(lines).toContain("  ⚠️ Slide 2: Slide 2 has the same title as slide 1 ('Cardiac cycle').");
    expect(lines).toContain("  ❌ Slide 2, 'Heart': The picture 'Heart' has alt text that is too short to describe anything ('A heart').");
    expect(lines).toContain('week 2.pptx: no problems found');
    expect(lines).toContain('Accessibility: 2 decks: 2 objects without alt text, 1 slide with a duplicate title');
    expect(await treeDigest(lectures)).toEqual(before);
  }, 120_000);

  it('gives scripts the same as JSON, and exits 1 when a deck cannot be read', async () => {
    const folder = box.path('with-broken');
    await fs.mkdir(folder);
    await fs.copyFile(path.join(lectures, 'week 1.pptx'), path.join(folder, 'week 1.pptx'));
    await writeTextFile(path.join(folder, 'notes.pptx'));
    const result = await box.run(['audit', '--input-dir', folder, '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as AuditCommandResult;
    expect(json.totals.decks).toBe(1);
    expect(json.totals.not_read).toBe(1);
    expect(json.totals.counts['missing-alt-text']).toBe(2);
    expect(json.totals.counts['duplicate-slide-title']).toBe(1);
    const week1 = json.decks.find((deck) => path.basename(deck.path) === 'week 1.pptx');
    expect(week1?.status).toBe('audited');
    if (week1?.status !== 'audited') return;
    expect(week1.audit.findings.map((f) => [f.check, f.slide, f.shape_name, f.fixed])).toEqual([
      ['missing-alt-text', 1, 'Picture 1', false],
      ['missing-alt-text', 2, 'Heart', false],
      ['duplicate-slide-title', 2, null, false],
    ]);
    const broken = json.decks.find((deck) => path.basename(deck.path) === 'notes.pptx');
    expect(broken).toMatchObject({ status: 'failed' });
  }, 120_000);

  it('asks for a folder or files', async () => {
    const result = await box.run(['audit']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Give --input-dir with a folder of decks, or --input-files/);
  }, 60_000);
});

describe('the dry run', () => {
  it('prints the audit per deck and for the batch', async () => {
    const config = await box.writeConfig(scriptedProcessorConfig('ok'), 'dry-run.yaml');
    const result = await box.run(['batch', '--input-dir', lectures, '--output-dir', box.path('out'), '--config', config, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/week 1\.pptx: 2 slides, 2 pictures, \d+ to describe; accessibility: 2 objects without alt text, 1 slide with a duplicate title$/m);
    expect(result.stdout).toMatch(/week 2\.pptx: 1 slides, 1 pictures, 0 to describe; accessibility: no problems found$/m);
    expect(result.stdout).toMatch(/^Accessibility: 2 decks: 2 objects without alt text, 1 slide with a duplicate title$/m);
  }, 120_000);
});
