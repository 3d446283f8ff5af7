import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export interface Zombie {
  readonly pid: number;
  /** The process that never reaps it: kill it and the zombie is reaped. */
  readonly parent: ChildProcess;
}

/**
 * A zombie (Linux): a child that has exited under a parent that never reaps it, `sleep` exec'd
 * in place of the shell that started the child. Resolves once the kernel shows it as a zombie.
 */
export async function startZombie(): Promise<Zombie> {
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
  const pid = Number(line.toString().trim());
  for (let tries = 0; tries < 1000; tries += 1) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return { pid, parent };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  parent.kill('SIGKILL');
  throw new Error(`pid ${pid} did not become a zombie`);
}
