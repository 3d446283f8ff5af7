import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outsideAsar } from './outside-asar';

let resources: string;
beforeEach(async () => {
  resources = await mkdtemp(path.join(os.tmpdir(), 'altgen-resources-'));
});
afterEach(async () => {
  await rm(resources, { recursive: true, force: true });
});

describe('outsideAsar', () => {
  it('turns the processor inside app.asar into its unpacked copy, which a child process can run', async () => {
    const inArchive = path.join(resources, 'app.asar', 'out', 'main', 'processor.js');
    const unpacked = path.join(resources, 'app.asar.unpacked', 'out', 'main', 'processor.js');
    await mkdir(path.dirname(unpacked), { recursive: true });
    await writeFile(unpacked, '');
    expect(outsideAsar(inArchive)).toBe(unpacked);
  });

  it('leaves a file that was not unpacked, and any path outside an archive, as it is', () => {
    const inArchive = path.join(resources, 'app.asar', 'out', 'main', 'processor.js');
    expect(outsideAsar(inArchive)).toBe(inArchive);
    const unpackaged = path.join(resources, 'out', 'main', 'processor.js');
    expect(outsideAsar(unpackaged)).toBe(unpackaged);
    const lookalike = path.join(resources, 'notes.asarx', 'processor.js');
    expect(outsideAsar(lookalike)).toBe(lookalike);
  });
});
