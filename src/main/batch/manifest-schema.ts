import { z } from 'zod';
import type { ManifestDocument, QueueItem } from '../../shared/batch-types';
import { ITEM_STATUSES } from '../../shared/batch-types';

/**
 * Validation of manifests read from disk, ours and the original Python tool's (same field
 * names, naive local timestamps, no `attempts`/`error_code`/`fingerprint`). Extra fields are
 * kept; missing optional ones get their defaults.
 */

const itemSchema = z
  .object({
    path: z.string().min(1),
    status: z.enum(ITEM_STATUSES as [string, ...string[]]),
    added_at: z.string().nullable().optional(),
    started_at: z.string().nullable().optional(),
    completed_at: z.string().nullable().optional(),
    error: z.string().nullable().optional(),
    skip_reason: z.string().nullable().optional(),
    result: z.record(z.string(), z.unknown()).nullable().optional(),
    attempts: z.number().int().nonnegative().optional(),
    error_code: z.string().nullable().optional(),
    fingerprint: z.object({ size: z.number(), mtime_ms: z.number() }).nullable().optional(),
  })
  .loose();

const manifestSchema = z
  .object({
    version: z.string(),
    batch_id: z.string().min(1),
    output_dir: z.string(),
    input_root: z.string().nullable().optional(),
    start_time: z.string().nullable().optional(),
    end_time: z.string().nullable().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    queue: z.object({ items: z.array(itemSchema) }).loose(),
  })
  .loose();

export function normalizeItem(raw: z.infer<typeof itemSchema>): QueueItem {
  return {
    ...raw,
    path: raw.path,
    status: raw.status as QueueItem['status'],
    added_at: raw.added_at ?? '',
    started_at: raw.started_at ?? null,
    completed_at: raw.completed_at ?? null,
    error: raw.error ?? null,
    skip_reason: raw.skip_reason ?? null,
    result: (raw.result ?? null) as QueueItem['result'],
    attempts: raw.attempts ?? 0,
    error_code: (raw.error_code ?? null) as QueueItem['error_code'],
    fingerprint: raw.fingerprint ?? null,
  };
}

/** Returns the document, or a one-line description of the first thing that is wrong. */
export function parseManifestDocument(value: unknown): { ok: true; doc: ManifestDocument } | { ok: false; problem: string } {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the top level';
    return { ok: false, problem: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  const raw = parsed.data;
  const metadata = raw.metadata ?? {};
  return {
    ok: true,
    doc: {
      ...raw,
      input_root: raw.input_root ?? null,
      start_time: raw.start_time ?? null,
      end_time: raw.end_time ?? null,
      metadata: {
        ...metadata,
        processor: typeof metadata['processor'] === 'string' ? metadata['processor'] : null,
        dry_run: metadata['dry_run'] === true,
        max_workers: typeof metadata['max_workers'] === 'number' ? metadata['max_workers'] : 1,
      },
      queue: { ...raw.queue, items: raw.queue.items.map(normalizeItem) },
    },
  };
}

export function parseItem(value: unknown): QueueItem | null {
  const parsed = itemSchema.safeParse(value);
  return parsed.success ? normalizeItem(parsed.data) : null;
}
