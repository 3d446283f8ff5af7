import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { legacyProcessorsDirOf, processorsDirOf, stateDirOf } from './batch-folder';
import { ProcessorRegistry } from './processor-registry';
import { isDead, waitUntil } from './testing/altgen-cli';

const IS_WINDOWS = process.platform === 'win32';
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-registry-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function sleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

describe.skipIf(IS_WINDOWS)('ProcessorRegistry', () => {
  it('kills the recorded processors of its batch only, and forgets them', async () => {
    const mine = sleeper();
    const other = sleeper();
    try {
      await new ProcessorRegistry(dir, 'batch-a').record(mine, 'a.pptx');
      await new ProcessorRegistry(dir, 'batch-b').record(other, 'b.pptx');
      expect(await new ProcessorRegistry(dir, 'batch-a').killLeftovers()).toBe(1);
      await waitUntil('the leftover to die', () => isDead(mine));
      expect(isDead(other)).toBe(false);
      expect(await fs.readdir(processorsDirOf(dir))).toEqual([`batch-b.${other}.json`]);
    } finally {
      for (const pid of [mine, other]) if (!isDead(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('never kills a pid that now belongs to another process (start time differs)', async () => {
    // This very test process stands for an unrelated process that got a dead processor's pid.
    await fs.mkdir(processorsDirOf(dir), { recursive: true });
    const record = { pid: process.pid, hostname: os.hostname(), start: 'not-its-start-time', input: 'a.pptx' };
    await fs.writeFile(path.join(processorsDirOf(dir), `batch-a.${process.pid}.json`), JSON.stringify(record));
    expect(await new ProcessorRegistry(dir, 'batch-a').killLeftovers()).toBe(0);
    expect(await fs.readdir(processorsDirOf(dir))).toEqual([]);
  });

  it('kills a leftover that a run of the layout before .altgen/ recorded in .altgen-processors, and tidies that folder away', async () => {
    const leftover = sleeper();
    try {
      // What an older AltGen wrote: the record's shape is unchanged, only its folder moved.
      const oldRegistry = legacyProcessorsDirOf(dir);
      await fs.mkdir(oldRegistry);
      await new ProcessorRegistry(dir, 'batch-a').record(leftover, 'a.pptx');
      await fs.rename(path.join(processorsDirOf(dir), `batch-a.${leftover}.json`), path.join(oldRegistry, `batch-a.${leftover}.json`));
      const registry = new ProcessorRegistry(dir, 'batch-a');
      expect(await registry.killLeftovers()).toBe(1);
      await waitUntil('the leftover to die', () => isDead(leftover));
      await registry.tidy();
      expect(await fs.readdir(dir)).toEqual(['.altgen']);
    } finally {
      if (!isDead(leftover)) process.kill(-leftover, 'SIGKILL');
    }
  });

  it('forgets a processor that ended, and tidies the empty folder away', async () => {
    const registry = new ProcessorRegistry(dir, 'batch-a');
    await registry.record(12345, 'a.pptx');
    await registry.forget(12345);
    await registry.tidy();
    // The hidden folder stays (another batch may be about to write in it); its processors/ folder goes.
    expect(await fs.readdir(stateDirOf(dir))).toEqual([]);
  });
});
