import { ManifestStore } from '../batch/manifest-store';

/**
 * The pictures a dry run planned to ask the model about, per deck: what a run of the same files
 * gives its ETA (shared/batch-eta.ts) instead of the average deck. An unreadable or foreign
 * manifest plans nothing: the ETA then counts as it would without a dry run.
 */
export async function plannedPicturesOf(dryRunManifest: string | undefined): Promise<ReadonlyMap<string, number> | undefined> {
  if (!dryRunManifest) return undefined;
  try {
    const document = (await ManifestStore.open(dryRunManifest)).snapshot();
    if (!document.metadata.dry_run) return undefined;
    const planned = new Map<string, number>();
    for (const item of document.queue.items) {
      const plan = item.status === 'complete' ? item.result?.inspection?.plan : undefined;
      if (plan) planned.set(item.path, plan.to_describe);
    }
    return planned;
  } catch {
    return undefined;
  }
}
