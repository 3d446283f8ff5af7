import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import { Sandbox } from '../batch/testing/altgen-cli';
import { deckEntries, writeZip, type DeckSpec } from '../fixtures/deck-builder';
import { useModelServerAndFolder } from './testing/model-server-and-folder';
import { processorTestConfig } from './testing/processor-test-config';
import { processDeck } from './process-deck';

/**
 * Which existing alt text counts as weak, and which pictures count as decorative, as the
 * processor applies them to real decks (issue 11), and the dry run's count agreeing with it.
 */

const fixture = useModelServerAndFolder('altgen-rules-');

/** PowerPoint writes line breaks in `descr` as character references; the builder escapes text. */
const NEWLINE = '⏎';

async function writeDeck(name: string, spec: DeckSpec): Promise<string> {
  const entries = deckEntries(spec);
  for (const [part, data] of entries) {
    if (typeof data === 'string' && part.startsWith('ppt/slides/slide')) entries.set(part, data.replaceAll(NEWLINE, '&#xA;'));
  }
  const file = path.join(fixture.dir, 'decks', name);
  await writeZip(file, entries);
  return file;
}

function config(altText: Partial<AltgenConfig['alt_text']> = {}): AltgenConfig {
  return processorTestConfig(fixture.server.url, { read_text_in_images: false, ...altText });
}

async function processFile(input: string, cfg: AltgenConfig) {
  const output = path.join(fixture.dir, 'out', path.basename(input));
  await fs.mkdir(path.dirname(output), { recursive: true });
  const { result, report } = await processDeck({
    input,
    output,
    config: cfg,
    provider: createProvider(cfg.model, {}),
    cache: new DescriptionCache({ dir: path.join(fixture.dir, 'cache'), enabled: false }),
  });
  const zip = await JSZip.loadAsync(await fs.readFile(output));
  const slideXml = (n: number) => zip.file(`ppt/slides/slide${n}.xml`)!.async('string');
  return { result, report, slideXml };
}

const WEAK = [
  'WD Talent Card pg 2.JPG',
  'télécharger (5).jpg',
  'fig:media/image1.png',
  'File:Heart diagram (labelled).svg',
  'A picture containing person. Description generated with very high confidence',
  `A diagram of a human heart${NEWLINE}${NEWLINE}AI-generated content may be incorrect.`,
  'Изображение выглядит как текст, диаграмма. Автоматически созданное описание',
  'Ein Bild, das Text, Diagramm enthält. Automatisch generierte Beschreibung',
];
const HUMAN = ['Chest X-ray, PA view (see figure 2)', 'Sagittal MRI of the knee showing a torn anterior cruciate ligament'];

describe('weak alt text in a real deck', () => {
  it('describes file names, prefixed file names and Office captions under preserve, and keeps human text', async () => {
    const input = await writeDeck('weak.pptx', {
      slides: [
        { title: 'Weak', pictures: WEAK.map((descr, i) => ({ name: `Weak ${i}`, descr, imageSize: 64, imageSeed: i })) },
        { title: 'Human', pictures: HUMAN.map((descr, i) => ({ name: `Human ${i}`, descr, imageSize: 64, imageSeed: 50 + i })) },
      ],
    });
    const { result, report, slideXml } = await processFile(input, config({ policy: 'preserve' }));
    expect(result).toMatchObject({ described: WEAK.length, preserved: HUMAN.length });
    for (const picture of report.pictures.filter((p) => p.shape_name.startsWith('Weak'))) {
      expect(picture, picture.before ?? '').toMatchObject({ decision: 'described', reason: expect.stringMatching(/^Weak alt text \(/) });
    }
    expect(report.pictures.find((p) => p.shape_name === 'Weak 5')?.before).toBe('A diagram of a human heart\n\nAI-generated content may be incorrect.');
    expect(report.pictures.filter((p) => p.shape_name.startsWith('Human')).map((p) => p.decision)).toEqual(['preserved', 'preserved']);
    const weakSlide = await slideXml(1);
    expect(weakSlide).not.toContain('AI-generated content');
    expect(weakSlide).not.toContain('WD Talent Card');
    expect(await slideXml(2)).toContain('descr="Chest X-ray, PA view (see figure 2)"');
  });

  it('counts in the dry run exactly the pictures the processor describes, with the same weak_patterns and minimum', async () => {
    const input = await writeDeck('dry-run.pptx', {
      slides: [
        {
          pictures: [
            ...WEAK.map((descr, i) => ({ name: `Weak ${i}`, descr, imageSize: 64, imageSeed: i })),
            ...HUMAN.map((descr, i) => ({ name: `Human ${i}`, descr, imageSize: 64, imageSeed: 50 + i })),
            { name: 'Configured', descr: 'Slide 12 image', imageSize: 64, imageSeed: 60 },
            { name: 'Short', descr: 'Left atrium', imageSize: 64, imageSeed: 61 },
            { name: 'Missing', imageSize: 64, imageSeed: 62 },
          ],
        },
      ],
    });
    const rules = { weak_patterns: ['^slide \\d+ image$'], min_meaningful_alt_chars: 12 };
    const { result } = await processFile(input, config(rules));
    expect(result.described).toBe(WEAK.length + 3);

    const sandbox = await Sandbox.create('altgen-rules-cli-');
    try {
      const file = await sandbox.writeConfig(
        [
          'batch_processing:',
          '  dry_run_validates_ollama: false',
          'alt_text:',
          '  min_meaningful_alt_chars: 12',
          "  weak_patterns: ['^slide \\d+ image$']",
          '',
        ].join('\n'),
      );
      const dryRun = await sandbox.run(['batch', '--input-files', input, '--output-dir', sandbox.path('out'), '--config', file, '--dry-run']);
      expect(dryRun.stdout).toMatch(new RegExp(`Dry run: 1 decks?, ${WEAK.length + HUMAN.length + 3} pictures, ${result.described} to describe`));
    } finally {
      await sandbox.remove();
    }
  });
});

describe('decorative: apply in a real deck', () => {
  it('never marks a sound icon or a video poster frame decorative, though tiny or repeated', async () => {
    const input = await writeDeck('media.pptx', {
      slides: [1, 2, 3].map((n) => ({
        title: `Heart sounds ${n}`,
        pictures: [
          { name: `Sound ${n}`, media: 'audio' as const, imageSize: 32, imageSeed: 200 + n },
          { name: `Video ${n}`, media: 'video' as const, imageSize: 64, imageSeed: 300 },
          { name: `Logo ${n}`, imageSize: 64, imageSeed: 400 },
        ],
      })),
    });
    const { report, slideXml } = await processFile(input, config({ decorative: 'apply' }));
    for (const picture of report.pictures.filter((p) => /^(Sound|Video)/.test(p.shape_name))) {
      expect(picture, picture.shape_name).toMatchObject({ decision: 'described', suggested_decorative: null });
    }
    expect(report.pictures.filter((p) => p.shape_name.startsWith('Logo')).map((p) => p.decision)).toEqual(['marked-decorative', 'marked-decorative', 'marked-decorative']);
    // Only the three logos carry Office's decorative flag.
    for (const n of [1, 2, 3]) expect((await slideXml(n)).match(/<adec:decorative [^>]*val="1"\/>/g), `slide ${n}`).toHaveLength(1);
  });

  it('does not call the one photo of a two-slide deck repeated', async () => {
    const input = await writeDeck('short.pptx', { slides: [{ title: 'Case' }, { title: 'Findings', pictures: [{ name: 'Photo', imageSize: 300 }] }] });
    const { report } = await processFile(input, config({ decorative: 'apply' }));
    expect(report.pictures).toHaveLength(1);
    expect(report.pictures[0]).toMatchObject({ decision: 'described', suggested_decorative: null });
  });
});
