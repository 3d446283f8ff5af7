import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { legacyProcessorsDirOf, processorsDirOf } from './batch-folder';
import { isProcessAlive, linuxProcessStat } from './process-alive';

/**
 * Which processors of a batch are running, on disk: one small file per processor in the
 * output folder's `.altgen/processors` (batch-folder.ts; `.altgen-processors` before that layout,
 * which `killLeftovers` still reads), written right after the spawn and removed when the
 * processor has ended. A runner that dies by SIGKILL or a crash cannot stop its processors
 * (they lead their own process groups); the next run of the batch reads what is left here
 * and kills those process groups before it touches the files again, so an orphan never
 * writes beside the resumed run or leaves a temp output behind after it.
 *
 * Guaranteed (POSIX):
 * - A recorded processor's group is killed only if it is still that processor's: either its
 *   pid is alive with the recorded start time (Linux `/proc/<pid>/stat`, else `ps -o lstart=`),
 *   or the pid is gone but its process group still has members (a group id is not reused
 *   while the group lives). A reused pid is never killed.
 * - `killLeftovers` returns once the killed processors are gone (or after a few seconds).
 *
 * Not guaranteed:
 * - A runner killed in the instant between a spawn and its record leaves that processor
 *   unknown. Nothing is written durably (no fsync): a power cut stops the processors too.
 * - Processors on another host (a shared output folder) and, on Windows, all processors are
 *   only forgotten, never killed: there is no process group, and no start time to check.
 */

const KILL_WAIT_MS = 3_000;
const IS_WINDOWS = process.platform === 'win32';

interface ProcessorRecord {
  readonly pid: number;
  readonly hostname: string;
  /** The process's start time as the system reports it; null where it cannot be read. */
  readonly start: string | null;
  readonly input: string;
}

export class ProcessorRegistry {
  private readonly dir: string;
  private readonly legacyDir: string;

  /** `tag` names the batch: only processors of the same batch are killed as leftovers. */
  constructor(
    outputDir: string,
    private readonly tag: string,
  ) {
    this.dir = processorsDirOf(outputDir);
    this.legacyDir = legacyProcessorsDirOf(outputDir);
  }

  private fileFor(pid: number): string {
    return path.join(this.dir, `${this.tag}.${pid}.json`);
  }

  /** Records a processor that has just been started; never throws (the record is a safeguard). */
  async record(pid: number, input: string): Promise<void> {
    const record: ProcessorRecord = { pid, hostname: os.hostname(), start: await startTimeOf(pid), input };
    // Twice: another batch in the same output folder may tidy the folder away in between.
    for (let tries = 0; tries < 2; tries += 1) {
      try {
        await fs.mkdir(this.dir, { recursive: true });
        await fs.writeFile(this.fileFor(pid), JSON.stringify(record));
        return;
      } catch {
        // Without the record the processor is merely not killed after a crash of this runner.
      }
    }
  }

  /** The processor has ended. */
  async forget(pid: number): Promise<void> {
    await fs.rm(this.fileFor(pid), { force: true }).catch(() => undefined);
  }

  /** Kills the process groups of this batch's processors that a dead runner left running; returns how many. */
  async killLeftovers(): Promise<number> {
    const files: string[] = [];
    for (const dir of [this.dir, this.legacyDir]) {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      for (const name of names) if (name.startsWith(`${this.tag}.`) && name.endsWith('.json')) files.push(path.join(dir, name));
    }
    const leaders: number[] = [];
    let killed = 0;
    for (const file of files) {
      const record = parseRecord(await fs.readFile(file, 'utf8').catch(() => ''));
      if (record && record.hostname === os.hostname() && !IS_WINDOWS) {
        if (isProcessAlive(record.pid)) {
          if (record.start !== null && (await startTimeOf(record.pid)) === record.start) {
            killGroup(record.pid);
            leaders.push(record.pid);
            killed += 1;
          }
        } else if (groupExists(record.pid)) {
          // The processor is gone (often by EPIPE on its first write after the runner died) but
          // what it started lives on in its group. The system does not reuse a group's id while
          // the group has members, so this is still that processor's group.
          killGroup(record.pid);
          killed += 1;
        }
      }
      await fs.rm(file, { force: true }).catch(() => undefined);
    }
    const deadline = Date.now() + KILL_WAIT_MS;
    while (leaders.some(isProcessAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return killed;
  }

  /** Removes the registry folder (and the old layout's) once no batch has a processor in it. */
  async tidy(): Promise<void> {
    await fs.rmdir(this.dir).catch(() => undefined);
    await fs.rmdir(this.legacyDir).catch(() => undefined);
  }
}

function parseRecord(text: string): ProcessorRecord | null {
  try {
    const value = JSON.parse(text) as Partial<ProcessorRecord>;
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid) || value.pid <= 1) return null;
    if (typeof value.hostname !== 'string' || typeof value.input !== 'string') return null;
    return { pid: value.pid, hostname: value.hostname, start: typeof value.start === 'string' ? value.start : null, input: value.input };
  } catch {
    return null;
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILL to the whole group; once sent, none of its processes runs another instruction. */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Gone in the meantime.
  }
}

async function startTimeOf(pid: number): Promise<string | null> {
  if (IS_WINDOWS) return null;
  if (process.platform === 'linux') return linuxProcessStat(pid)?.start || null;
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=', '-p', String(pid)], { timeout: 2_000 }, (error, stdout) => {
      resolve(error ? null : stdout.trim() || null);
    });
  });
}
