import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCESSOR_REGISTRY_SUBDIR, ProcessorRegistry } from './processor-registry';
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
      expect(await fs.readdir(path.join(dir, PROCESSOR_REGISTRY_SUBDIR))).toEqual([`batch-b.${other}.json`]);
    } finally {
      for (const pid of [mine, other]) if (!isDead(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('never kills a pid that now belongs to another process (start time differs)', async () => {
    // This very test process stands for an unrelated process that got a dead processor's pid.
    await fs.mkdir(path.join(dir, PROCESSOR_REGISTRY_SUBDIR));
    const record = { pid: process.pid, hostname: os.hostname(), start: 'not-its-start-time', input: 'a.pptx' };
    await fs.writeFile(path.join(dir, PROCESSOR_REGISTRY_SUBDIR, `batch-a.${process.pid}.json`), JSON.stringify(record));
    expect(await new ProcessorRegistry(dir, 'batch-a').killLeftovers()).toBe(0);
    expect(await fs.readdir(path.join(dir, PROCESSOR_REGISTRY_SUBDIR))).toEqual([]);
  });

  it('forgets a processor that ended, and tidies the empty folder away', async () => {
    const registry = new ProcessorRegistry(dir, 'batch-a');
    await registry.record(12345, 'a.pptx');
    await registry.forget(12345);
    await registry.tidy();
    expect(await fs.readdir(dir)).toEqual([]);
  });
});
