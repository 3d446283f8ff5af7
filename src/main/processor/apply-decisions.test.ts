import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import { buildDeck } from '../fixtures/deck-builder';
import { openPackage } from '../pptx/package-reader';
import { applyDecisions } from './apply-edits';
import { processDeck } from './process-deck';
import { useModelServerAndFolder } from './testing/model-server-and-folder';
import { processorTestConfig } from './testing/processor-test-config';

/**
 * The review's apply for one deck: a real deck processed through the fake model server, then
 * the reviewer's decisions written into its accessible copy.
 */

const fixture = useModelServerAndFolder('altgen-decisions-');

async function processed(longDescriptions: 'off' | 'notes' = 'off') {
  const input = path.join(fixture.dir, 'in.pptx');
  await buildDeck(input, {
    title: 'Fractures',
    slides: [
      {
        title: 'Distal radius',
        text: 'Colles fracture',
        notes: 'Point at the dorsal angulation.',
        pictures: [{ name: 'X-ray', imageSize: 64, imageSeed: 1 }, { name: 'Photo', imageSize: 64, imageSeed: 2 }],
      },
      { title: 'Summary', pictures: [{ name: 'Logo', decorative: true, imageSeed: 3 }, { name: 'Kept', descr: 'Hand-drawn sketch of the wrist', imageSize: 64, imageSeed: 4 }] },
    ],
  });
  const config = processorTestConfig(fixture.server.url, { read_text_in_images: false, long_descriptions: longDescriptions, prompt_category: 'chart' });
  const output = path.join(fixture.dir, 'copy.pptx');
  const { report } = await processDeck({
    input,
    output,
    config,
    provider: createProvider(config.model, {}),
    cache: new DescriptionCache({ dir: path.join(fixture.dir, 'cache'), enabled: false }),
  });
  return { output, report };
}

async function entries(file: string): Promise<Map<string, Buffer>> {
  const reader = await openPackage(file, DEFAULT_CONFIG.limits);
  try {
    const all = new Map<string, Buffer>();
    for (const name of reader.entries.keys()) all.set(name, await reader.readBuffer(name, 1024 ** 3));
    return all;
  } finally {
    await reader.close();
  }
}

function cNvPr(xml: string, name: string): string {
  const match = new RegExp(`<p:cNvPr [^>]*name="${name}"[^>]*?(/>|>.*?</p:cNvPr>)`).exec(xml);
  if (!match) throw new Error(`no shape ${name}`);
  return match[0];
}

const GUID = '{C183D7F6-B498-43B3-948B-1728B52AA6E4}';

describe('applyDecisions', () => {
  it('writes edited text, Office decorative flags with an empty description, and nothing else', async () => {
    const { output, report } = await processed();
    const key = (name: string) => report.pictures.find((p) => p.shape_name === name)?.key ?? '';
    const reviewed = path.join(fixture.dir, 'reviewed.pptx');
    const applied = await applyDecisions(
      output,
      report,
      [
        { key: key('X-ray'), descr: '  Radiograph of the wrist:\n Colles fracture ', reviewedAt: '2026-01-01T10:00:00' },
        { key: key('Photo'), decorative: true, reviewedAt: '2026-01-01T10:01:00' },
        { key: key('Logo'), decorative: false, descr: 'University crest' },
        { key: key('Kept'), reviewedAt: '2026-01-01T10:02:00' },
      ],
      reviewed,
      DEFAULT_CONFIG.limits,
    );
    expect(applied.changed).toBe(3);

    const before = await entries(output);
    const after = await entries(reviewed);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const changedParts = [...before.keys()].filter((name) => !before.get(name)?.equals(after.get(name) ?? Buffer.alloc(0)));
    expect(changedParts.sort()).toEqual(['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']);

    const slide1 = after.get('ppt/slides/slide1.xml')?.toString('utf8') ?? '';
    const slide2 = after.get('ppt/slides/slide2.xml')?.toString('utf8') ?? '';
    expect(cNvPr(slide1, 'X-ray')).toContain('descr="Radiograph of the wrist: Colles fracture"');
    expect(cNvPr(slide1, 'Photo')).toMatch(new RegExp(`descr=""><a:extLst><a:ext uri="\\${GUID}"><adec:decorative [^>]*val="1"/></a:ext></a:extLst></p:cNvPr>`));
    expect(cNvPr(slide2, 'Logo')).toContain('descr="University crest"');
    expect(cNvPr(slide2, 'Logo')).toContain('val="0"');
    expect(cNvPr(slide2, 'Kept')).toBe(cNvPr(before.get('ppt/slides/slide2.xml')?.toString('utf8') ?? '', 'Kept'));

    const row = (name: string) => applied.report.pictures.find((p) => p.shape_name === name);
    expect(row('X-ray')).toMatchObject({ decision: 'edited', after: 'Radiograph of the wrist: Colles fracture', needs_review: false, reviewed_at: '2026-01-01T10:00:00' });
    expect(row('X-ray')?.generated).toMatch(/^Test figure/);
    expect(row('Photo')).toMatchObject({ decision: 'marked-decorative', after: null });
    expect(row('Photo')?.generated).toMatch(/^Test figure/);
    expect(row('Logo')).toMatchObject({ decision: 'edited', after: 'University crest', generated: null });
    expect(row('Kept')).toMatchObject({ decision: 'preserved', reviewed_at: '2026-01-01T10:02:00' });
    expect(applied.report.counts).toMatchObject({ pictures: 4, described: 0, preserved: 1, decorative: 1 });

    // The same decisions again, on the reviewed copy: nothing more changes.
    const again = await applyDecisions(reviewed, applied.report, [{ key: key('X-ray'), descr: 'Radiograph of the wrist: Colles fracture' }, { key: key('Photo'), decorative: true }], path.join(fixture.dir, 'again.pptx'), DEFAULT_CONFIG.limits);
    expect(again.changed).toBe(0);
  });

  it('rewrites only the AltGen block of the notes when a long description is edited', async () => {
    const { output, report } = await processed('notes');
    const xray = report.pictures.find((p) => p.shape_name === 'X-ray');
    expect(xray?.long_description).toBeTruthy();
    const reviewed = path.join(fixture.dir, 'reviewed.pptx');
    const applied = await applyDecisions(output, report, [{ key: xray?.key ?? '', longDescription: 'The distal radius is broken, its fragment tilted backwards.' }], reviewed, DEFAULT_CONFIG.limits);
    expect(applied.changed).toBe(0);
    const before = await entries(output);
    const after = await entries(reviewed);
    const changedParts = [...before.keys()].filter((name) => !before.get(name)?.equals(after.get(name) ?? Buffer.alloc(0)));
    expect(changedParts).toEqual(['ppt/notesSlides/notesSlide1.xml']);
    const notes = after.get('ppt/notesSlides/notesSlide1.xml')?.toString('utf8') ?? '';
    expect(notes).toContain('The distal radius is broken, its fragment tilted backwards.');
    expect(notes).toContain('Point at the dorsal angulation.');
    expect(applied.report.pictures.find((p) => p.key === xray?.key)?.long_description).toBe('The distal radius is broken, its fragment tilted backwards.');
  });

  it('refuses decisions for pictures the deck does not have', async () => {
    const { output, report } = await processed();
    await expect(applyDecisions(output, report, [{ key: 'ppt/slides/slide9.xml#99', descr: 'x' }], path.join(fixture.dir, 'x.pptx'), DEFAULT_CONFIG.limits)).rejects.toMatchObject({
      code: 'EUNKNOWN_PICTURE',
    });
  });
});
