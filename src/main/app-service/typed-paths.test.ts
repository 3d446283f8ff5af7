import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveExistingPaths, resolveTypedPath } from './typed-paths';

const home = path.join(path.sep, 'home', 'ana');

describe('resolveTypedPath', () => {
  const desktop = { home, baseDir: null };
  const served = { home, baseDir: path.join(path.sep, 'srv', 'courses') };

  it.each([
    ['~/Lectures/Fall 2026', path.join(home, 'Lectures', 'Fall 2026')],
    ['~', home],
    ['"/home/ana/Lectures/Fall 2026"', path.resolve('/home/ana/Lectures/Fall 2026')],
    ["'/home/ana/Lectures/Fall 2026'", path.resolve('/home/ana/Lectures/Fall 2026')],
    ['“/home/ana/Lectures”', path.resolve('/home/ana/Lectures')],
    ['  "~/Lectures"  ', path.join(home, 'Lectures')],
    [pathToFileURL('/home/ana/Fall 2026').href, path.resolve('/home/ana/Fall 2026')],
    ['/home/ana/Lectures/../Slides/', path.resolve('/home/ana/Slides')],
  ])('reads %j as %s', (typed, expected) => {
    expect(resolveTypedPath(typed, desktop)).toEqual({ ok: true, path: expected, relativeTo: null });
  });

  it('reads a relative name against the folder altgen serve was started in, and says so', () => {
    expect(resolveTypedPath('Fall 2026', served)).toEqual({ ok: true, path: path.join(served.baseDir, 'Fall 2026'), relativeTo: served.baseDir });
  });

  it('answers what it cannot place with a sentence that says what to type', () => {
    const advice = `Type the full path, for example ${path.join(home, 'Lectures')}.`;
    expect(resolveTypedPath('Fall 2026', desktop)).toEqual({ ok: false, message: `“Fall 2026” is not a full path. ${advice}` });
    expect(resolveTypedPath('  ""  ', desktop)).toEqual({ ok: false, message: `The path is empty. ${advice}` });
    expect(resolveTypedPath('~bob/Lectures', desktop)).toEqual({ ok: false, message: `AltGen reads ~ only as your own home folder (${home}). ${advice}` });
    for (const typed of ['Fall 2026', '""', '~bob/x']) {
      const answer = resolveTypedPath(typed, desktop);
      expect(answer.ok ? '' : answer.message, typed).not.toMatch(/paths\.\d|Bad request|absolute/);
    }
  });
});

describe('resolveExistingPaths', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-typed-'));
    await fs.mkdir(path.join(root, 'Lectures', 'Fall 2026'), { recursive: true });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('resolves every typed path that exists', async () => {
    const context = { home: root, baseDir: path.join(root, 'Lectures') };
    expect(await resolveExistingPaths(['~/Lectures/Fall 2026', '"Fall 2026"'], context)).toEqual([
      path.join(root, 'Lectures', 'Fall 2026'),
      path.join(root, 'Lectures', 'Fall 2026'),
    ]);
  });

  it('refuses a mistyped folder with ENOT_FOUND and a sentence naming it (and where a relative name was looked for)', async () => {
    await expect(resolveExistingPaths(['~/Lectres'], { home: root, baseDir: null })).rejects.toMatchObject({
      code: 'ENOT_FOUND',
      message: `There is no folder or file at ${path.join(root, 'Lectres')}: check the spelling, or choose Browse… to pick it.`,
    });
    await expect(resolveExistingPaths(['Fall 2062'], { home: root, baseDir: root })).rejects.toMatchObject({
      code: 'ENOT_FOUND',
      message: expect.stringContaining(`is looked for in ${root}, where altgen serve was started`),
    });
  });
});
