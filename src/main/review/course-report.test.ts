import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { manifestIn, Sandbox } from '../batch/testing/altgen-cli';
import { EXIT } from '../cli/exit-codes';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import { BatchReview } from './batch-review';
import { courseCsv, courseReport } from './course-report';

/**
 * The course report of a real batch (`altgen batch`, the built-in processor, the fake model
 * server): per deck what the audit found, what the run fixed (alt text), which pictures a
 * person reviewed, and what is left, as CSV and Word, and through `altgen course-report`.
 */

let sandbox: Sandbox;
let model: FakeModelServer;
let config: string;
let out: string;

beforeAll(async () => {
  sandbox = await Sandbox.create('altgen-course-report-');
  model = await startFakeModelServer();
  const lectures = sandbox.path('Lectures');
  await fs.mkdir(lectures, { recursive: true });
  // Slide 1's picture has no alt text (the run writes it); slide 2 repeats slide 1's title (left for a person).
  await buildDeck(path.join(lectures, 'cardiology.pptx'), {
    title: 'Cardiology',
    slides: [
      { title: 'Cardiac cycle', pictures: [{ name: 'Pressure curves', imageSize: 64, imageSeed: 1 }] },
      { title: 'Cardiac cycle', pictures: [{ name: 'Sounds', descr: 'Heart sounds aligned with the pressure curves', imageSize: 64, imageSeed: 2 }] },
    ],
  });
  await buildDeck(path.join(lectures, 'knee.pptx'), { title: 'Knee', slides: [{ title: 'The knee', pictures: [{ name: 'MRI', descr: 'Sagittal MRI of the knee', imageSize: 64, imageSeed: 3 }] }] });
  config = await sandbox.writeConfig(['model:', `  base_url: ${model.url}`, '  max_retries: 0', 'alt_text:', '  read_text_in_images: false', 'cache:', '  enabled: false', ''].join('\n'));
  out = sandbox.path('out');
  const run = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
  expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
}, 300_000);

afterAll(async () => {
  await model.stop();
  await sandbox.remove();
});

describe('the course report', () => {
  it('says per deck what was found, fixed, reviewed by a person and left', async () => {
    const manifest = await manifestIn(out);
    expect(manifest).not.toBeNull();
    const review = new BatchReview(manifest ?? '', DEFAULT_CONFIG.limits);
    const { items } = await review.queue();
    const curves = items.find((item) => item.shape_name === 'Pressure curves');
    expect(curves).toBeDefined();
    await review.act(curves?.deck ?? '', curves?.key ?? '', { type: 'accept' });

    const report = await courseReport(review);
    const cardiology = report.decks.find((deck) => deck.name === 'cardiology.pptx');
    const knee = report.decks.find((deck) => deck.name === 'knee.pptx');
    expect(cardiology).toMatchObject({ audited: true, pictures: 2, reviewed: 1 });
    expect(cardiology?.findings.map(({ finding, reviewed_at }) => [finding.check, finding.slide, finding.shape_name, finding.fixed, reviewed_at !== null])).toEqual([
      ['missing-alt-text', 1, 'Pressure curves', true, true],
      ['duplicate-slide-title', 2, null, false, false],
    ]);
    expect(cardiology?.fixed['missing-alt-text']).toBe(1);
    expect(knee).toMatchObject({ audited: true, pictures: 1, reviewed: 0, findings: [] });

    const lines = courseCsv(report).trimEnd().split('\r\n');
    expect(lines[0]).toBe('deck,slide,shape,check,severity,count,problem,what_to_do,suggestion,status,fixed,reviewed_at,decision,decided_at');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^cardiology\.pptx,1,Pressure curves,missing-alt-text,error,1,The picture 'Pressure curves' has no alt text\.,.*,Fixed in the copy; reviewed by a person,true,20\d\d-/);
    expect(lines[2]).toMatch(/^cardiology\.pptx,2,,duplicate-slide-title,warning,1,Slide 2 has the same title as slide 1 \('Cardiac cycle'\)\.,.*,Left for a person,false,,,$/);
  }, 120_000);

  it('is written by altgen course-report as a Word document beside the copies', async () => {
    const result = await sandbox.run(['course-report', '--output-dir', out, '--format', 'docx', '--config', config]);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toContain('Left for a person: 1 slide with a duplicate title.');
    const file = (await fs.readdir(out)).find((name) => /^accessibility_\d{8}_\d{6}_[0-9a-f]{8}\.docx$/.test(name));
    expect(file).toBeDefined();
    const zip = await JSZip.loadAsync(await fs.readFile(path.join(out, file ?? '')));
    const text = ((await zip.file('word/document.xml')?.async('string')) ?? '').replace(/<[^>]+>/g, '').replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(text).toContain('cardiology.pptx');
    expect(text).toContain('Fixed in the copy: 1 object without alt text.');
    expect(text).toContain("Slide 2 has the same title as slide 1 ('Cardiac cycle').");
    expect(text).toContain('Left for a person: nothing.');
  }, 120_000);
});
