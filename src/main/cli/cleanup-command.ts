import path from 'node:path';
import { cleanupManifests } from '../batch/cleanup';
import { loadConfig } from '../config/load-config';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { printable } from './printable';

export async function runCleanupCommand(
  options: { outputDir: string; maxAgeDays?: number; dryRun?: boolean; config?: string },
  io: CommandIo,
): Promise<ExitCode> {
  const loaded = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  const maxAgeDays = options.maxAgeDays ?? loaded.config.batch_processing.manifest_retention_days;
  const outputDir = path.resolve(io.cwd, options.outputDir);
  const { removed, kept } = await cleanupManifests(outputDir, { maxAgeDays, dryRun: options.dryRun === true });
  const verb = options.dryRun ? 'Would remove' : 'Removed';
  io.stdout.write(`${verb} ${removed.length} finished manifest(s) older than ${maxAgeDays} days in ${printable(outputDir)}; kept ${kept.length}.\n`);
  for (const entry of removed) io.stdout.write(`  ${options.dryRun ? 'would remove' : 'removed'} ${printable(entry.manifestPath)}\n`);
  for (const { entry, why } of kept) io.stdout.write(`  kept ${path.basename(entry.manifestPath)}: ${why}\n`);
  return EXIT.ok;
}
