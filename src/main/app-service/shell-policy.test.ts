import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchRoots, ShellAction } from './shell-policy';
import { isInsideFolder } from '../files/folder-paths';
import { checkShellPath, isAllowedPath } from './shell-policy';

describe('isInsideFolder', () => {
  it.each([
    ['linux', '/home/me/Lectures/a.pptx', '/home/me/Lectures', true],
    ['linux', '/home/me/Lectures', '/home/me/Lectures', true],
    ['linux', '/home/me/Lectures/', '/home/me/Lectures', true],
    ['linux', '/home/me/Lectures/..notes.txt', '/home/me/Lectures', true],
    ['linux', '/home/me/Lectures/sub/../a.pptx', '/home/me/Lectures', true],
    ['linux', '/home/me/Lectures/../secret.pptx', '/home/me/Lectures', false],
    ['linux', '/home/me/Lectures (alt text)/a.pptx', '/home/me/Lectures', false],
    ['linux', '/home/me/Lectures2', '/home/me/Lectures', false],
    ['linux', '/home/me', '/home/me/Lectures', false],
    ['linux', '/home/me/lectures/a.pptx', '/home/me/Lectures', false],
    ['darwin', '/Users/me/Lectures/a.pptx', '/Users/me/Lectures', true],
    ['darwin', '/Users/me/Lectures/../Other/a.pptx', '/Users/me/Lectures', false],
    ['darwin', '/Users/me/Lectures2/a.pptx', '/Users/me/Lectures', false],
    ['win32', 'C:\\Users\\me\\Lectures\\a.pptx', 'C:\\Users\\me\\Lectures', true],
    ['win32', 'c:\\users\\ME\\lectures\\A.PPTX', 'C:\\Users\\me\\Lectures', true],
    ['win32', 'C:/Users/me/Lectures/sub/a.pptx', 'C:\\Users\\me\\Lectures', true],
    ['win32', 'C:\\Users\\me\\Lectures\\..\\secret.pptx', 'C:\\Users\\me\\Lectures', false],
    ['win32', 'C:\\Users\\me\\Lectures2\\a.pptx', 'C:\\Users\\me\\Lectures', false],
    ['win32', 'D:\\Users\\me\\Lectures\\a.pptx', 'C:\\Users\\me\\Lectures', false],
    ['win32', '\\\\attacker\\share\\a.pptx', 'C:\\Users\\me\\Lectures', false],
    ['win32', '\\\\?\\C:\\Windows\\a.pptx', 'C:\\Users\\me\\Lectures', false],
  ] as const)('%s: %s inside %s is %s', (platform, candidate, folder, inside) => {
    expect(isInsideFolder(candidate, folder, platform)).toBe(inside);
  });

  it('folds case and Unicode form when asked (macOS, as written)', () => {
    expect(isInsideFolder('/Users/me/lectures/a.pptx', '/Users/me/Lectures', 'darwin')).toBe(false);
    expect(isInsideFolder('/Users/me/lectures/a.pptx', '/Users/me/Lectures', 'darwin', true)).toBe(true);
    expect(isInsideFolder('/Users/me/Cafe\u0301/a.pptx', '/Users/me/Caf\u00e9', 'darwin', true)).toBe(true);
    expect(isInsideFolder('/Users/me/Lectures2/a.pptx', '/Users/me/lectures', 'darwin', true)).toBe(false);
  });
});

describe('isAllowedPath', () => {
  const roots: BatchRoots[] = [{ inputRoot: '/Users/me/Lectures', outputDir: '/Users/me/Lectures (alt text)' }];

  it('allows the input and output folders of the batch and what is inside them, nothing else', () => {
    expect(isAllowedPath('/Users/me/Lectures/a.pptx', roots, 'linux')).toBe(true);
    expect(isAllowedPath('/Users/me/Lectures (alt text)/a.pptx', roots, 'linux')).toBe(true);
    expect(isAllowedPath('/Users/me/Desktop/a.pptx', roots, 'linux')).toBe(false);
    expect(isAllowedPath('/Users/me/lectures/a.pptx', roots, 'linux')).toBe(false);
    expect(isAllowedPath('/Users/me/lectures/a.pptx', roots, 'darwin')).toBe(true);
    expect(isAllowedPath('/Users/me/Lectures/a.pptx', [], 'linux')).toBe(false);
    expect(isAllowedPath('/Users/me/Lectures/a.pptx', [{ inputRoot: null, outputDir: '/Users/me/Lectures (alt text)' }], 'linux')).toBe(false);
  });
});

describe('checkShellPath, on real folders and symlinks', () => {
  let root: string;
  let lectures: string;
  let output: string;
  let outside: string;
  let roots: BatchRoots[];
  const canLink = process.platform !== 'win32';

  async function write(file: string, text = 'x'): Promise<string> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    return file;
  }

  async function verdict(candidate: string, action: ShellAction): Promise<string> {
    try {
      return `ok ${await checkShellPath(candidate, roots, action)}`;
    } catch (error) {
      return (error as { code: string }).code;
    }
  }

  beforeAll(async () => {
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-shell-')));
    lectures = path.join(root, 'Lectures');
    output = path.join(root, 'Lectures (alt text)');
    outside = path.join(root, 'Private');
    roots = [{ inputRoot: lectures, outputDir: output }];
    await write(path.join(lectures, 'a.pptx'));
    await write(path.join(lectures, 'year 2', 'b.pptm'));
    await write(path.join(lectures, '..notes.txt'));
    await write(path.join(lectures, 'run-me.sh'), '#!/bin/sh\n');
    await write(path.join(lectures, 'setup.exe'));
    await write(path.join(lectures, 'Evil.app', 'Contents', 'MacOS', 'Evil'));
    await write(path.join(lectures, 'Panel.{21EC2020-3AEA-1069-A2DD-08002B30309D}', 'x.txt'));
    await write(path.join(output, 'a.pptx'));
    await write(path.join(output, 'a.alt-text.json'));
    await write(path.join(output, 'a.alt-text.html'));
    await write(path.join(root, 'Lectures2', 'a.pptx'));
    await write(path.join(outside, 'secret.pptx'));
    await write(path.join(outside, 'payload.sh'));
    if (canLink) {
      await fs.symlink(path.join(outside, 'secret.pptx'), path.join(output, 'link-out.pptx'));
      await fs.symlink(outside, path.join(lectures, 'linked-folder'));
      await fs.symlink(path.join(lectures, 'a.pptx'), path.join(output, 'link-in.pptx'));
      await fs.symlink(path.join(lectures, 'run-me.sh'), path.join(output, 'script.pptx'));
      await fs.symlink(root, path.join(output, 'up'));
      await fs.symlink(lectures, path.join(root, 'Lectures via link'));
    }
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('opens and reveals decks, reports and folders of the batch', async () => {
    for (const target of [
      path.join(lectures, 'a.pptx'),
      path.join(lectures, 'year 2', 'b.pptm'),
      path.join(lectures, '..notes.txt'),
      path.join(lectures, 'year 2', '..', 'a.pptx'),
      path.join(output, 'a.pptx'),
      path.join(output, 'a.alt-text.json'),
      path.join(output, 'a.alt-text.html'),
      lectures,
      output,
      path.join(lectures, 'year 2'),
    ]) {
      expect(await verdict(target, 'open'), target).toBe(`ok ${path.resolve(target)}`);
      expect(await verdict(target, 'reveal'), target).toBe(`ok ${path.resolve(target)}`);
    }
  });

  it('refuses everything outside the batch, however the path is written', async () => {
    for (const target of [
      path.join(outside, 'secret.pptx'),
      path.join(lectures, '..', 'Private', 'secret.pptx'),
      path.join(output, '..', '..', 'secret.pptx'),
      path.join(root, 'Lectures2', 'a.pptx'),
      root,
      path.parse(root).root,
      os.homedir(),
      '/etc/passwd',
    ]) {
      expect(await verdict(target, 'open'), target).toBe('EFORBIDDEN');
      expect(await verdict(target, 'reveal'), target).toBe('EFORBIDDEN');
    }
  });

  it('refuses everything when there is no current batch', async () => {
    expect(await checkShellPath(path.join(lectures, 'a.pptx'), [], 'reveal').catch((error: { code: string }) => error.code)).toBe('EFORBIDDEN');
  });

  it('reveals but never opens a program that sits in an input folder, app bundles and shell folders included', async () => {
    for (const program of ['run-me.sh', 'setup.exe', 'Evil.app', 'Panel.{21EC2020-3AEA-1069-A2DD-08002B30309D}']) {
      expect(await verdict(path.join(lectures, program), 'open'), program).toBe('EFORBIDDEN');
      expect(await verdict(path.join(lectures, program), 'reveal'), program).toBe(`ok ${path.join(lectures, program)}`);
    }
  });

  it('answers ENOT_FOUND for a missing file inside the batch, EFORBIDDEN outside it without looking', async () => {
    expect(await verdict(path.join(output, 'gone.pptx'), 'open')).toBe('ENOT_FOUND');
    expect(await verdict(path.join(outside, 'gone.pptx'), 'open')).toBe('EFORBIDDEN');
  });

  it.skipIf(!canLink)('follows symlinks before deciding: a link out of the batch is refused, a link within it allowed', async () => {
    for (const escape of [
      path.join(output, 'link-out.pptx'),
      path.join(lectures, 'linked-folder'),
      path.join(lectures, 'linked-folder', 'secret.pptx'),
      path.join(lectures, 'linked-folder', 'payload.sh'),
      path.join(output, 'up'),
      path.join(output, 'up', 'Private', 'secret.pptx'),
    ]) {
      expect(await verdict(escape, 'open'), escape).toBe('EFORBIDDEN');
      expect(await verdict(escape, 'reveal'), escape).toBe('EFORBIDDEN');
    }
    expect(await verdict(path.join(output, 'link-in.pptx'), 'open')).toBe(`ok ${path.join(output, 'link-in.pptx')}`);
    // A deck's name on a link to a script does not make the script openable.
    expect(await verdict(path.join(output, 'script.pptx'), 'open')).toBe('EFORBIDDEN');
    expect(await verdict(path.join(output, 'script.pptx'), 'reveal')).toBe(`ok ${path.join(output, 'script.pptx')}`);
  });

  it('opens the batch folders themselves whatever their names', async () => {
    const dotted = path.join(root, 'Lectures v1.2');
    await fs.mkdir(path.join(dotted, 'sub.d'), { recursive: true });
    const dottedRoots: BatchRoots[] = [{ inputRoot: dotted, outputDir: output }];
    expect(await checkShellPath(dotted, dottedRoots, 'open')).toBe(dotted);
    await expect(checkShellPath(path.join(dotted, 'sub.d'), dottedRoots, 'open')).rejects.toMatchObject({ code: 'EFORBIDDEN' });
    expect(await checkShellPath(path.join(dotted, 'sub.d'), dottedRoots, 'reveal')).toBe(path.join(dotted, 'sub.d'));
  });

  it.skipIf(!canLink)('compares real paths on both sides, so a batch named through a symlink still works', async () => {
    const viaLink = path.join(root, 'Lectures via link');
    const linkedRoots: BatchRoots[] = [{ inputRoot: viaLink, outputDir: output }];
    expect(await checkShellPath(path.join(viaLink, 'a.pptx'), linkedRoots, 'open')).toBe(path.join(viaLink, 'a.pptx'));
    // The real folder behind the link is not the batch's as written: refused before any look-up.
    await expect(checkShellPath(path.join(lectures, 'a.pptx'), linkedRoots, 'open')).rejects.toMatchObject({ code: 'EFORBIDDEN' });
  });
});
