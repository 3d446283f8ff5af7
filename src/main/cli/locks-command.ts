import path from 'node:path';
import { cleanStaleLocks, formatLockTable, listLocks } from '../batch/lock-listing';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { printable } from './printable';

export async function runLocksCommand(options: { directory: string; cleanStale?: boolean; json?: boolean }, io: CommandIo): Promise<ExitCode> {
  const directory = path.resolve(io.cwd, options.directory);
  if (options.cleanStale) {
    const { removed, kept } = await cleanStaleLocks(directory);
    if (options.json) {
      io.stdout.write(JSON.stringify({ removed, kept }, null, 2) + '\n');
    } else {
      io.stdout.write(`Removed ${removed.length} stale lock(s); ${kept.length} kept.\n`);
      for (const lock of removed) io.stdout.write(`  removed ${printable(lock.path)}\n`);
    }
    return EXIT.ok;
  }
  const locks = await listLocks(directory);
  const shown = locks.map((lock) => ({ ...lock, target: printable(lock.target) }));
  io.stdout.write(options.json ? JSON.stringify(locks, null, 2) + '\n' : formatLockTable(shown, Date.now()) + '\n');
  return EXIT.ok;
}
