import path from 'node:path';
import { z } from 'zod';
import { REVIEW_EXPORT_FORMATS, SLIDE_DECISIONS } from '../../shared/review-types';
import { altTextSchema, batchProcessingSchema, cacheSchema, modelSchema, modelServerSchema } from '../../shared/config-schema';
import { ENV_VAR_NAME, MAX_ENV_VAR_NAME_CHARS } from '../../shared/env-var-name';
import type { InvokeChannel, RequestOf } from '../../shared/ipc-contract';
import { WHEN_DONE_CHOICES } from '../../shared/ipc-contract';
import { batchIdFromFileName } from '../batch/manifest-store';
import { BridgeFailure } from './bridge-failure';

/**
 * One zod schema per channel of the contract, checked against its request type: a request from
 * the renderer is data, not permission. A request must be plain data (what JSON or structured
 * clone carries: no prototypes but Object's and Array's, no getters, no symbols), objects are
 * strict (an unknown field, `__proto__` included, is refused, not ignored), paths must be
 * absolute (except those a person types, which the handler resolves), strings and numbers bounded, and the settings a patch may carry take their rules
 * from the config schema itself.
 */

const MAX_PATH_CHARS = 4096;
const MAX_PATHS = 10_000;
const MAX_EDITS = 10_000;
const MAX_DESCRIPTION_CHARS = 2000;
const MAX_LONG_DESCRIPTION_CHARS = 10_000;
const MAX_HINT_CHARS = 500;
const MAX_MODEL_NAME_CHARS = 200;
const MAX_URL_CHARS = 2048;
/** Longer timeouts overflow Node's timers, which then fire at once and kill every file. */
const MAX_FILE_TIMEOUT_SECONDS = Math.floor(0x7fffffff / 1000);
/** Beyond what any request of the contract holds: refused before the schema walks it. */
const MAX_DEPTH = 6;
const MAX_ARRAY_LENGTH = Math.max(MAX_PATHS, MAX_EDITS);
const MAX_OBJECT_KEYS = 64;

const absolutePath = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PATH_CHARS, `must be at most ${MAX_PATH_CHARS} characters`)
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character')
  .refine((p) => path.isAbsolute(p), 'must be an absolute path');

/**
 * A path as a person typed it (`~/Lectures`, in quotes, relative): bounded here, resolved by
 * the handler (typed-paths.ts), which answers a path it cannot use with a sentence for the field.
 */
const typedPath = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PATH_CHARS, `must be at most ${MAX_PATH_CHARS} characters`)
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character');

const manifestPath = absolutePath.refine(
  (p) => batchIdFromFileName(path.basename(p)) !== null,
  'must be a batch manifest (batch_<id>_manifest.json)',
);

const itemIndex = z.number().int().min(0);

/** A picture of a batch's review: its deck (an absolute path the main side finds in the manifest) and report key. */
const reviewPicture = z.strictObject({ manifest_path: manifestPath, deck: absolutePath, key: z.string().min(1).max(500) });

const MAX_COURSE_CHARS = 200;

/** More would be a cluster's job (one LiteLLM or vLLM address in front of it), not a settings list's. */
const MAX_MODEL_SERVERS = 32;

const modelUrlField = modelSchema.shape.base_url.unwrap().max(MAX_URL_CHARS);
const modelNameField = modelSchema.shape.name.unwrap().max(MAX_MODEL_NAME_CHARS);
const envVarName = z.string().max(MAX_ENV_VAR_NAME_CHARS).regex(ENV_VAR_NAME, 'must be the name of an environment variable, not a key');

const modelAddress = z.strictObject({
  provider: modelSchema.shape.provider.unwrap(),
  base_url: modelUrlField,
  name: modelNameField,
  api_key_env: envVarName.nullable().optional(),
});

/** One of `model.servers`, by the config schema's own rules, bounded. */
const modelServer = z.union([
  modelUrlField,
  z.strictObject({
    base_url: modelUrlField,
    provider: modelServerSchema.shape.provider,
    name: modelNameField.optional(),
    api_key_env: envVarName.nullable().optional(),
    parallel_requests: modelServerSchema.shape.parallel_requests,
  }),
]);

const settingsPatch = z.strictObject({
  model: z
    .strictObject({
      provider: modelAddress.shape.provider,
      base_url: modelAddress.shape.base_url,
      name: modelAddress.shape.name,
      servers: z.array(modelServer).max(MAX_MODEL_SERVERS),
    })
    .partial()
    .optional(),
  alt_text: z
    .strictObject({
      policy: altTextSchema.shape.policy.unwrap(),
      decorative: altTextSchema.shape.decorative.unwrap(),
      char_limit: altTextSchema.shape.char_limit.unwrap(),
      // One line: a course name with a newline would not stay one value in config.yaml.
      course: z.string().min(1).max(MAX_COURSE_CHARS).regex(/^[^\r\n]*$/, 'must be one line').nullable(),
      language: altTextSchema.shape.language.unwrap(),
      long_descriptions: altTextSchema.shape.long_descriptions.unwrap(),
      read_text_in_images: altTextSchema.shape.read_text_in_images.unwrap(),
      include_layouts: altTextSchema.shape.include_layouts.unwrap(),
    })
    .partial()
    .optional(),
  batch_processing: z
    .strictObject({
      default_max_workers: batchProcessingSchema.shape.default_max_workers.unwrap(),
      stop_on_error_threshold: batchProcessingSchema.shape.stop_on_error_threshold.unwrap(),
      file_timeout_seconds: batchProcessingSchema.shape.file_timeout_seconds.unwrap().max(MAX_FILE_TIMEOUT_SECONDS),
      model_wait_minutes: batchProcessingSchema.shape.model_wait_minutes.unwrap(),
    })
    .partial()
    .optional(),
  cache: z.strictObject({ enabled: cacheSchema.shape.enabled.unwrap() }).partial().optional(),
});

type RequestSchemas = { readonly [C in InvokeChannel]: z.ZodType<RequestOf<C>> };

export const REQUEST_SCHEMAS: RequestSchemas = {
  'app:get-info': z.null(),
  'inputs:discover': z.strictObject({ paths: z.array(typedPath).min(1, 'must name at least one folder or deck').max(MAX_PATHS) }),
  'batch:start': z.strictObject({
    paths: z.array(typedPath).min(1, 'must name at least one folder or deck').max(MAX_PATHS),
    output_dir: typedPath,
    dry_run: z.boolean(),
    max_workers: batchProcessingSchema.shape.default_max_workers.unwrap().optional(),
    dry_run_manifest: manifestPath.optional(),
    exclude: z.array(absolutePath).max(MAX_PATHS).optional(),
    input_root: absolutePath.optional(),
  }),
  'batch:resume': z.strictObject({
    manifest_path: manifestPath,
    retry_failed: z.boolean().optional(),
    only_index: itemIndex.optional(),
  }),
  'batch:stop': z.strictObject({ mode: z.enum(['after-current', 'now']) }),
  'batch:try-model-now': z.null(),
  'batch:pause': z.null(),
  'batch:continue': z.null(),
  'queue:move-to-front': z.strictObject({ manifest_path: manifestPath, index: itemIndex }),
  'queue:skip-file': z.strictObject({ manifest_path: manifestPath, index: itemIndex }),
  'queue:remove-file': z.strictObject({ manifest_path: manifestPath, index: itemIndex }),
  'queue:put-back-file': z.strictObject({ manifest_path: manifestPath, index: itemIndex }),
  'batch:get-log': z.strictObject({ manifest_path: manifestPath, index: itemIndex }),
  'app:get-when-done': z.null(),
  'app:set-when-done': z.strictObject({ when_done: z.enum(WHEN_DONE_CHOICES) }),
  'batch:get-current': z.null(),
  'batch:open': z.strictObject({ manifest_path: manifestPath }),
  'batches:list': z.null(),
  'batches:clean-up': z.strictObject({ dry_run: z.boolean() }),
  'model:check': modelAddress.nullable(),
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
  'folders:list': z.strictObject({ path: typedPath.nullable() }),
  'folders:places': z.null(),
  'cache:clear': z.null(),
  'shell:open-path': z.strictObject({ path: absolutePath }),
  'shell:show-in-folder': z.strictObject({ path: absolutePath }),
  'dialog:pick-folder': z.null(),
  'review:get-queue': z.strictObject({ manifest_path: manifestPath }),
  'review:get-summary': z.strictObject({ manifest_path: manifestPath }),
  'review:get-picture': reviewPicture,
  'review:get-image': reviewPicture,
  'review:act': reviewPicture.extend({
    action: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('accept') }),
      z.strictObject({ type: z.literal('edit'), alt: z.string().max(MAX_DESCRIPTION_CHARS) }),
      z.strictObject({ type: z.literal('edit-long'), text: z.string().max(MAX_LONG_DESCRIPTION_CHARS) }),
      z.strictObject({ type: z.literal('decorative'), decorative: z.boolean() }),
      z.strictObject({ type: z.literal('revert'), to: z.enum(['original', 'generated']) }),
    ]),
  }),
  'review:regenerate': reviewPicture.extend({ hint: z.string().max(MAX_HINT_CHARS).nullable() }),
  'review:apply-all': z.strictObject({ manifest_path: manifestPath }),
  'review:undo-apply': z.strictObject({ manifest_path: manifestPath }),
  'review:export': z.strictObject({ manifest_path: manifestPath, format: z.enum(REVIEW_EXPORT_FORMATS) }),
  'review:get-slides': z.strictObject({ manifest_path: manifestPath }),
  'review:decide-slide': reviewPicture.extend({ decision: z.enum(SLIDE_DECISIONS) }),
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** Plain objects, arrays and primitives only, to a bounded depth: what a transport can deliver. */
function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined) return true;
  const kind = typeof value;
  if (kind === 'string' || kind === 'number' || kind === 'boolean') return true;
  if (kind !== 'object' || depth >= MAX_DEPTH) return false;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype || value.length > MAX_ARRAY_LENGTH) return false;
    for (let index = 0; index < value.length; index += 1) {
      const element = Object.getOwnPropertyDescriptor(value, index);
      if (element && (!('value' in element) || !isPlainData(element.value, depth + 1))) return false;
    }
    return true;
  }
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Reflect.ownKeys(value as object);
  if (keys.length > MAX_OBJECT_KEYS) return false;
  for (const key of keys) {
    const property = typeof key === 'string' ? Object.getOwnPropertyDescriptor(value, key) : undefined;
    if (!property || !('value' in property) || !isPlainData(property.value, depth + 1)) return false;
  }
  return true;
}

/**
 * The request, checked. A missing request (`undefined`, which JSON cannot carry) counts as null
 * for the channels that take none.
 */
export function parseRequest<C extends InvokeChannel>(channel: C, raw: unknown): RequestOf<C> {
  const schema: z.ZodType<RequestOf<C>> = REQUEST_SCHEMAS[channel];
  if (!isPlainData(raw)) throw new BridgeFailure('EBAD_REQUEST', `Bad request for ${channel}: it must be plain data (objects, arrays, strings, numbers, booleans, null).`);
  const result = schema.safeParse(raw === undefined ? null : raw);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map(describeIssue).join('; ');
  throw new BridgeFailure('EBAD_REQUEST', `Bad request for ${channel}: ${problems}.`);
}
