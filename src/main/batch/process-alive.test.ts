import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from './process-alive';
import { startZombie } from './testing/zombie';

const parents: ChildProcess[] = [];

afterEach(() => {
  for (const parent of parents.splice(0)) parent.kill('SIGKILL');
});

describe('isProcessAlive', () => {
  it('is true for a running process and false for one that has exited and been reaped', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    expect(isProcessAlive(child.pid!)).toBe(false);
  });

  it.runIf(process.platform === 'linux')('is false for a zombie, which runs no code and holds nothing', async () => {
    const zombie = await startZombie();
    parents.push(zombie.parent);
    expect(isProcessAlive(zombie.parent.pid!)).toBe(true);
    expect(isProcessAlive(zombie.pid)).toBe(false);
  });
});
