import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { newItem } from '../../shared/item-state';
import { summaryOf } from './testing/batch-summary';
import { commandName, formatSummary } from './summary-format';

/** The summary's success rate, and the commands it prints, as a newcomer reads and pastes them. */

const AT = '2026-11-28T10:00:00.000+00:00';

function item(file: string, status: QueueItem['status'], extra: Partial<QueueItem> = {}): QueueItem {
  return { ...newItem(file, AT), status, ...extra };
}

describe('the success rate', () => {
  const done = (name: string) => item(`/in/${name}`, 'complete', { result: { pictures: 1, described: 1 } });

  it('does not count a skipped 97–2003 .ppt as a miss: three decks done of three is 100.0%', () => {
    const items = [done('a.pptx'), done('b.pptx'), done('c.pptx'), item('/in/old.ppt', 'skipped', { skip_reason: 'Legacy .ppt', error_code: 'ELEGACY_FORMAT' })];
    expect(formatSummary(summaryOf(items), null, items)).toMatch(/^ {2}Success: {3}100\.0% \(of the 3 files that could be processed; 1 skipped\)$/m);
  });

  it('still counts failures', () => {
    const items = [done('a.pptx'), item('/in/b.pptx', 'failed', { error: 'Damaged' }), item('/in/old.ppt', 'skipped')];
    expect(formatSummary(summaryOf(items), null, items)).toMatch(/^ {2}Success: {3}50\.0% \(of the 2 files that could be processed; 1 skipped\)$/m);
  });

  it('says so when nothing could be processed, instead of 0.0%', () => {
    const items = [item('/in/old.ppt', 'skipped')];
    expect(formatSummary(summaryOf(items), null, items)).toMatch(/^ {2}Success: {3}– \(no file could be processed; 1 skipped\)$/m);
  });
});

describe('commandName: printed commands that work from any folder', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'altgen-command-'));
    await mkdir(path.join(root, 'AltGen', 'bin'), { recursive: true });
    await writeFile(path.join(root, 'AltGen', 'bin', 'altgen.js'), '');
    await mkdir(path.join(root, 'global-bin'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const script = () => path.join(root, 'AltGen', 'bin', 'altgen.js');

  it('is `altgen` when altgen is on PATH (npm install -g . or npm link)', async () => {
    await symlink(script(), path.join(root, 'global-bin', 'altgen'));
    expect(commandName({ PATH: path.join(root, 'global-bin') }, script(), 'linux')).toBe('altgen');
  });

  it('is node with the full path of bin/altgen.js when altgen is not on PATH, as under npx in the project folder', () => {
    expect(commandName({ PATH: path.join(root, 'global-bin'), npm_command: 'exec' }, script(), 'linux')).toBe(`node ${script().includes(' ') ? `'${script()}'` : script()}`);
    // Never `npx altgen`, which outside the project folder asks the registry for a package called altgen.
    expect(commandName({ PATH: '', npm_command: 'exec' }, script(), 'linux')).not.toMatch(/npx/);
  });

  it('does not take npx’s own node_modules/.bin, which is on PATH only while npx runs, for an install', async () => {
    const npxBin = path.join(root, '.npm', '_npx', '5eec080b', 'node_modules', '.bin');
    await mkdir(npxBin, { recursive: true });
    await symlink(script(), path.join(npxBin, 'altgen'));
    expect(commandName({ PATH: npxBin, npm_command: 'exec' }, path.join(npxBin, 'altgen'), 'linux')).toBe(`node ${script()}`);
  });

  it('quotes a project folder with spaces so the command pastes into a shell', async () => {
    const spaced = path.join(root, 'My Apps', 'AltGen', 'bin');
    await mkdir(spaced, { recursive: true });
    await writeFile(path.join(spaced, 'altgen.js'), '');
    expect(commandName({ PATH: '' }, path.join(spaced, 'altgen.js'), 'linux')).toBe(`node '${path.join(spaced, 'altgen.js')}'`);
  });

  it('is `altgen` when run from the sources (the tests)', () => {
    expect(commandName({ PATH: '' }, path.join(root, 'src', 'main', 'cli', 'index.ts'), 'linux')).toBe('altgen');
  });
});
