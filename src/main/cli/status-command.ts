import path from 'node:path';
import { isUnfinished } from '../../shared/batch-types';
import { listBatches } from '../batch/batch-catalog';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { resumeCommand } from './summary-format';

export async function runStatusCommand(options: { outputDir: string; json?: boolean }, io: CommandIo): Promise<ExitCode> {
  const outputDir = path.resolve(io.cwd, options.outputDir);
  const batches = await listBatches(outputDir);
  if (options.json) {
    const rows = batches.map((b) => ({
      batch_id: b.batchId,
      manifest_path: b.manifestPath,
      start_time: b.document?.start_time ?? null,
      end_time: b.document?.end_time ?? null,
      dry_run: b.document?.metadata.dry_run ?? null,
      stop_reason: b.document?.metadata.stop_reason ?? null,
      counts: b.counts,
      problem: b.problem?.message ?? null,
    }));
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return EXIT.ok;
  }
  if (batches.length === 0) {
    io.stdout.write(`No batches in ${outputDir}.\n`);
    return EXIT.ok;
  }
  for (const b of batches) {
    if (!b.document || !b.counts) {
      io.stdout.write(`${b.batchId}  UNREADABLE  ${b.problem?.message ?? ''}\n`);
      continue;
    }
    const c = b.counts;
    const state = isUnfinished(c) ? `unfinished${b.document.metadata.stop_reason ? ` (${b.document.metadata.stop_reason})` : ''}` : 'finished';
    const kind = b.document.metadata.dry_run ? 'dry run' : 'batch';
    io.stdout.write(
      `${b.batchId}  ${kind.padEnd(7)}  ${state.padEnd(30)}  ${c.total} files: ${c.complete} ✅ ${c.failed} ❌ ${c.skipped} ⏭️ ${c.pending + c.processing} pending  started ${b.document.start_time ?? '-'}\n`,
    );
    if (isUnfinished(c) && !b.document.metadata.dry_run) {
      const configPath = typeof b.document.metadata.config_path === 'string' ? b.document.metadata.config_path : null;
      io.stdout.write(`    resume: ${resumeCommand({ batch_id: b.batchId, output_dir: outputDir }, configPath)}\n`);
    }
  }
  return EXIT.ok;
}
