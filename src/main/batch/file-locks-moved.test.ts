import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockInput } from './file-locks';
import { waitUntil } from './testing/altgen-cli';

/**
 * A deck's folder renamed while its lock is held (an input folder renamed mid-batch): the lock
 * moves with the folder, and releasing it must remove it there, not leave a `.lock` folder and
 * its holder file behind in the renamed folder. Linux follows the folder through /proc.
 */

let tmp: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-locks-moved-'));
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function deckIn(folder: string): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  const deck = path.join(folder, 'deck.pptx');
  await fs.writeFile(deck, 'not really a deck');
  return deck;
}

describe.runIf(process.platform === 'linux')('releasing a lock whose folder was renamed', () => {
  it('removes the lock and its holder file in the renamed folder', async () => {
    const deck = await deckIn(path.join(tmp, 'Lectures'));
    const release = await lockInput(deck, { waitSeconds: 0, fallbackLockDir: path.join(tmp, 'out', '.altgen-locks') });
    expect((await fs.readdir(path.join(tmp, 'Lectures'))).sort()).toEqual(['deck.pptx', 'deck.pptx.lock', 'deck.pptx.lock.holder.json']);

    await fs.rename(path.join(tmp, 'Lectures'), path.join(tmp, 'Lectures (old)'));
    await release();

    expect(await fs.readdir(path.join(tmp, 'Lectures (old)'))).toEqual(['deck.pptx']);
  });

  it('removes it too after its refresh found it gone from the old name (compromised)', async () => {
    const deck = await deckIn(path.join(tmp, 'Term 1', 'Lectures'));
    let lost: Error | null = null;
    // The shortest staleness: proper-lockfile refreshes the lock every second.
    const release = await acquireLock(deck, { waitMs: 0, staleMs: 2_000, onCompromised: (error) => (lost = error) });

    // A folder above the deck's, renamed: the lock moves with it all the same.
    await fs.rename(path.join(tmp, 'Term 1'), path.join(tmp, 'Term 1 (archived)'));
    await waitUntil('the refresh to find the lock gone', () => lost !== null, 30_000);
    await release();

    expect(await fs.readdir(path.join(tmp, 'Term 1 (archived)', 'Lectures'))).toEqual(['deck.pptx']);
  });

  it('leaves alone a lock in the renamed folder that another holder has taken since', async () => {
    const folder = path.join(tmp, 'Lectures');
    const deck = await deckIn(folder);
    const release = await acquireLock(deck, { waitMs: 0 });
    const renamed = path.join(tmp, 'Lectures (old)');
    await fs.rename(folder, renamed);
    // Another holder's lock where ours was: its holder file names someone else.
    await fs.writeFile(
      path.join(renamed, 'deck.pptx.lock.holder.json'),
      JSON.stringify({ pid: 1, hostname: 'another-host', user: 'someone', started_at: '2026-01-01T00:00:00' }),
    );
    await release();

    expect((await fs.readdir(renamed)).sort()).toEqual(['deck.pptx', 'deck.pptx.lock', 'deck.pptx.lock.holder.json']);
  });

  it('still releases in place when the folder was not renamed, through a symbolic link to it too', async () => {
    const real = path.join(tmp, 'real');
    await deckIn(real);
    await fs.symlink(real, path.join(tmp, 'linked'));
    const release = await acquireLock(path.join(tmp, 'linked', 'deck.pptx'), { waitMs: 0 });
    await release();
    expect(await fs.readdir(real)).toEqual(['deck.pptx']);
  });
});
