import path from 'node:path';
import type { ManifestDocument, PictureCounts } from '../../shared/batch-types';
import { countPictures, isUnfinished } from '../../shared/batch-types';
import { listBatches } from '../batch/batch-catalog';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { nextCommands } from './summary-format';

/** The pictures of a real batch's complete files; null for a dry run, which describes none. */
function picturesOf(document: ManifestDocument | null): PictureCounts | null {
  return document && !document.metadata.dry_run ? countPictures(document.queue.items) : null;
}

function pictureSummary(p: PictureCounts): string {
  const failed = p.model_failed > 0 ? ` (the model could not describe ${p.model_failed})` : '';
  return `pictures: ${p.described} described, ${p.needs_review} need review${failed}, ${p.drafted} drafted`;
}

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
      pictures: picturesOf(b.document),
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
    const pictures = picturesOf(b.document);
    if (pictures && pictures.described + pictures.needs_review + pictures.drafted > 0) io.stdout.write(`    ${pictureSummary(pictures)}\n`);
    const configPath = typeof b.document.metadata.config_path === 'string' ? b.document.metadata.config_path : null;
    // The same commands the batch's summary printed: resume (also for files skipped for a lock
    // or PowerPoint, whose reason says "resume"), retry the failed files, ask the model again.
    const next = nextCommands(
      { batch_id: b.batchId, output_dir: outputDir, dry_run: b.document.metadata.dry_run, stop_reason: b.document.metadata.stop_reason ?? 'finished' },
      b.document.queue.items,
      configPath,
    );
    if (next.resume) io.stdout.write(`    resume: ${next.resume}\n`);
    if (next.retry) io.stdout.write(`    retry failed files: ${next.retry}\n`);
    if (next.retryNeedsReview) io.stdout.write(`    ask the model again: ${next.retryNeedsReview}\n`);
  }
  return EXIT.ok;
}
