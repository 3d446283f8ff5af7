import path from 'node:path';
import { z } from 'zod';
import { altTextSchema, batchProcessingSchema, modelSchema } from '../../shared/config-schema';
import type { InvokeChannel, RequestOf } from '../../shared/ipc-contract';
import { batchIdFromFileName } from '../batch/manifest-store';
import { BridgeFailure } from './bridge-failure';

/**
 * One zod schema per channel of the contract, checked against its request type: a request from
 * the renderer is data, not permission. Objects are strict (an unknown field is refused, not
 * ignored), paths must be absolute, numbers whole and bounded, and the settings a patch may
 * carry take their rules from the config schema itself.
 */

const MAX_PATH_CHARS = 4096;
const MAX_PATHS = 10_000;
const MAX_EDITS = 10_000;
const MAX_DESCRIPTION_CHARS = 2000;

const absolutePath = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PATH_CHARS, `must be at most ${MAX_PATH_CHARS} characters`)
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character')
  .refine((p) => path.isAbsolute(p), 'must be an absolute path');

const manifestPath = absolutePath.refine(
  (p) => batchIdFromFileName(path.basename(p)) !== null,
  'must be a batch manifest (batch_<id>_manifest.json)',
);

const itemIndex = z.number().int().min(0);

const settingsPatch = z.strictObject({
  model: z
    .strictObject({
      provider: modelSchema.shape.provider.unwrap(),
      base_url: modelSchema.shape.base_url.unwrap(),
      name: modelSchema.shape.name.unwrap(),
    })
    .partial()
    .optional(),
  alt_text: z
    .strictObject({
      policy: altTextSchema.shape.policy.unwrap(),
      decorative: altTextSchema.shape.decorative.unwrap(),
      char_limit: altTextSchema.shape.char_limit.unwrap(),
    })
    .partial()
    .optional(),
  batch_processing: z
    .strictObject({
      default_max_workers: batchProcessingSchema.shape.default_max_workers.unwrap(),
      stop_on_error_threshold: batchProcessingSchema.shape.stop_on_error_threshold.unwrap(),
      file_timeout_seconds: batchProcessingSchema.shape.file_timeout_seconds.unwrap(),
    })
    .partial()
    .optional(),
});

type RequestSchemas = { readonly [C in InvokeChannel]: z.ZodType<RequestOf<C>> };

export const REQUEST_SCHEMAS: RequestSchemas = {
  'app:get-info': z.null(),
  'inputs:discover': z.strictObject({ paths: z.array(absolutePath).min(1, 'must name at least one folder or deck').max(MAX_PATHS) }),
  'batch:start': z.strictObject({
    paths: z.array(absolutePath).min(1, 'must name at least one folder or deck').max(MAX_PATHS),
    output_dir: absolutePath,
    dry_run: z.boolean(),
    max_workers: batchProcessingSchema.shape.default_max_workers.unwrap().optional(),
  }),
  'batch:resume': z.strictObject({
    manifest_path: manifestPath,
    retry_failed: z.boolean().optional(),
    only_index: itemIndex.optional(),
  }),
  'batch:stop': z.strictObject({ mode: z.enum(['after-current', 'now']) }),
  'batch:get-current': z.null(),
  'batch:open': z.strictObject({ manifest_path: manifestPath }),
  'batches:list': z.null(),
  'model:check': z.null(),
  'settings:get': z.null(),
  'settings:save': settingsPatch,
  'review:get': z.strictObject({ manifest_path: manifestPath, index: itemIndex }),
  'review:apply': z.strictObject({
    manifest_path: manifestPath,
    index: itemIndex,
    edits: z
      .array(z.strictObject({ key: z.string().min(1).max(500), descr: z.string().max(MAX_DESCRIPTION_CHARS) }))
      .max(MAX_EDITS),
  }),
  'folders:list': z.strictObject({ path: absolutePath.nullable() }),
  'shell:open-path': z.strictObject({ path: absolutePath }),
  'shell:show-in-folder': z.strictObject({ path: absolutePath }),
  'dialog:pick-folder': z.null(),
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/**
 * The request, checked. A missing request (`undefined`, which JSON cannot carry) counts as null
 * for the channels that take none.
 */
export function parseRequest<C extends InvokeChannel>(channel: C, raw: unknown): RequestOf<C> {
  const schema: z.ZodType<RequestOf<C>> = REQUEST_SCHEMAS[channel];
  const result = schema.safeParse(raw === undefined ? null : raw);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map(describeIssue).join('; ');
  throw new BridgeFailure('EBAD_REQUEST', `Bad request for ${channel}: ${problems}.`);
}
