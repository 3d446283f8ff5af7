import { readFileSync } from 'node:fs';

/**
 * Whether a process on this computer is alive, for everything that asks whether the holder of
 * a lock or a recorded processor still runs: it exists (signal 0 reaches it, or is refused
 * with EPERM because it runs as another user) and, on Linux, it is not a zombie. A zombie has
 * exited and only waits to be reaped (a container's PID 1 may never do it): it runs no code
 * and holds nothing, so a lock or record naming it is stale.
 *
 * Not guaranteed: a pid the system has reused for another process counts as alive; callers
 * that must not mistake one for the other compare start times ({@link linuxProcessStat}).
 * Outside Linux a zombie counts as alive.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  return linuxProcessStat(pid)?.state !== 'Z';
}

/** A process's state letter and start time (clock ticks since boot) from `/proc/<pid>/stat`; null when it is gone. */
export function linuxProcessStat(pid: number): { readonly state: string; readonly start: string } | null {
  try {
    // Synchronous on purpose: /proc reads do not block, and the answer must be of this instant.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain them.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return null;
  }
}
