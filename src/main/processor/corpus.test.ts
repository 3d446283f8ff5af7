import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { findSoffice } from '../describe/image-prep';
import { PackageError } from '../pptx/package-error';
import { openPackage } from '../pptx/package-reader';
import { processDeck } from './process-deck';

/**
 * The real-world corpus (shared/corpus/files: PowerPoint for Windows and Mac, Google Slides,
 * LibreOffice, ISO-Strict, encrypted, truncated, legacy, templates). Runs only when
 * ALTGEN_CORPUS_DIR points at it; .ci/run sets it when the corpus is there.
 *
 * Every deck is processed or cleanly refused; every output re-opens with our own reader, its
 * unchanged entries are byte-identical to the input's, and LibreOffice converts it to PDF.
 */
const CORPUS = process.env['ALTGEN_CORPUS_DIR'];
const DECK = /\.(pptx|pptm|potx|potm|ppsx|ppsm|ppt|pot|pps|ppam)$/i;

describe.skipIf(!CORPUS)('the real-world corpus', () => {
  let server: FakeModelServer;
  let dir: string;
  const outputs: { input: string; output: string }[] = [];

  beforeAll(async () => {
    server = await startFakeModelServer();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-corpus-'));
  });
  afterAll(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('processes every readable deck and refuses the rest with a reason', async () => {
    const files = (await fs.readdir(CORPUS!)).filter((f) => DECK.test(f)).sort();
    expect(files.length).toBeGreaterThan(50);
    const config: AltgenConfig = { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, base_url: server.url, max_retries: 0 } };
    const cache = new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true });
    const refused: string[] = [];
    for (const file of files) {
      const input = path.join(CORPUS!, file);
      const output = path.join(dir, 'out', file);
      await fs.mkdir(path.dirname(output), { recursive: true });
      try {
        const { result } = await processDeck({ input, output, config, provider: createProvider(config.model, {}), cache });
        expect(result.pictures, file).toBeGreaterThanOrEqual(0);
        outputs.push({ input, output });
      } catch (error) {
        expect(error, `${file}: ${(error as Error).message}`).toBeInstanceOf(PackageError);
        expect((error as Error).message.split('\n')).toHaveLength(1);
        refused.push(`${file}: ${(error as PackageError).code}`);
        await expect(fs.access(output), `${file} left an output`).rejects.toThrow();
      }
    }
    expect(outputs.length).toBeGreaterThan(files.length / 2);
    // The corpus has encrypted, truncated and legacy files on purpose.
    expect(refused.length).toBeGreaterThan(0);
  }, 600_000);

  it('writes outputs that re-open, with every entry but the edited parts byte-identical', async () => {
    for (const { input, output } of outputs) {
      const before = await openPackage(input, DEFAULT_CONFIG.limits);
      const after = await openPackage(output, DEFAULT_CONFIG.limits);
      try {
        expect([...after.entries.keys()], path.basename(input)).toEqual([...before.entries.keys()]);
        for (const name of before.entries.keys()) {
          const a = await before.readBuffer(name, 1024 ** 3);
          const b = await after.readBuffer(name, 1024 ** 3);
          if (a.equals(b)) continue;
          // Only slide-like XML parts may differ, and only in alt text and decorative flags.
          expect(name, `${path.basename(input)}: ${name} changed`).toMatch(/^ppt\/(slides|slideLayouts|slideMasters)\/[^/]+\.xml$/);
          const strip = (xml: string) => xml.replace(/ descr="[^"]*"/g, '').replace(/<a:extLst><a:ext uri="\{C183D7F6[^]*?<\/a:extLst>/g, '');
          expect(strip(b.toString('utf8')), `${path.basename(input)}: ${name}`).toBe(strip(a.toString('utf8')));
        }
      } finally {
        await before.close();
        await after.close();
      }
    }
  }, 600_000);

  it('writes outputs LibreOffice converts to PDF whenever it converts the original', async (ctx) => {
    const soffice = await findSoffice();
    if (!soffice) {
      ctx.skip('LibreOffice (soffice) is not installed');
      return;
    }
    const presentations = outputs.filter((o) => /\.(pptx|pptm)$/i.test(o.output));
    const convert = async (files: readonly string[], outDir: string): Promise<Set<string>> => {
      const result = spawnSync(
        soffice,
        [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, ...files],
        { encoding: 'utf8', timeout: 900_000 },
      );
      expect(result.error).toBeUndefined();
      return new Set(await fs.readdir(outDir).catch(() => [] as string[]));
    };
    const pdfName = (file: string) => path.basename(file).replace(/\.[^.]+$/, '.pdf');
    // A few corpus decks are beyond LibreOffice itself; those only have to fail the same way.
    const fromInputs = await convert(presentations.map((o) => o.input), path.join(dir, 'pdf-in'));
    const fromOutputs = await convert(presentations.map((o) => o.output), path.join(dir, 'pdf-out'));
    const regressions = presentations.map((o) => pdfName(o.output)).filter((pdf) => fromInputs.has(pdf) && !fromOutputs.has(pdf));
    expect(regressions).toEqual([]);
    expect(fromOutputs.size).toBeGreaterThan(presentations.length / 2);
  }, 900_000);
});
