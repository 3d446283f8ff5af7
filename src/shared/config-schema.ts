import { z } from 'zod';

/**
 * The `config.yaml` schema: every key, its type, its default. The loader
 * (src/main/config/load-config.ts) reads YAML into this; docs/configuration.md documents
 * the same keys. A key added here must be documented there and set in examples/config.yaml
 * (src/main/config/load-config.test.ts fails until it is).
 */

const positiveInt = z.number().int().positive();
const nonNegativeNumber = z.number().nonnegative();

export const batchProcessingSchema = z.object({
  default_max_workers: positiveInt.max(64).default(1),
  max_lock_wait_seconds: nonNegativeNumber.default(30),
  manifest_retention_days: positiveInt.default(30),
  progress_update_interval: positiveInt.default(5),
  stop_on_error_threshold: z.number().min(0).max(1).default(0.5),
  dry_run_validates_ollama: z.boolean().default(true),
  file_timeout_seconds: z.number().positive().default(300),
});

/**
 * The seed's external-processor mode: a command run once per file, `{input}` and `{output}`
 * replaced by the deck and the temporary output path. A string is split like a shell would
 * (quotes, no expansion); a list is taken as argv.
 */
export const processorSchema = z.object({
  command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).nullable().default(null),
});

export const modelSchema = z.object({
  provider: z.enum(['ollama', 'openai']).default('ollama'),
  base_url: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:11434'),
  name: z.string().min(1).default('llava'),
  /** Name of the environment variable holding the API key (openai-compatible servers). */
  api_key_env: z.string().min(1).nullable().default(null),
  /** How long the dry run waits for the model server to answer. */
  check_timeout_seconds: z.number().positive().default(5),
});

/** Bounds on reading untrusted decks (DESIGN.md, "Untrusted input"). */
export const limitsSchema = z.object({
  max_zip_entries: positiveInt.default(10_000),
  max_uncompressed_bytes: positiveInt.default(4 * 1024 ** 3),
  max_entry_uncompressed_bytes: positiveInt.default(1024 ** 3),
  max_compression_ratio: z.number().positive().default(200),
});

export const configSchema = z.object({
  batch_processing: batchProcessingSchema.prefault({}),
  processor: processorSchema.prefault({}),
  model: modelSchema.prefault({}),
  limits: limitsSchema.prefault({}),
});

export type AltgenConfig = z.infer<typeof configSchema>;
export type BatchProcessingConfig = AltgenConfig['batch_processing'];
export type LimitsConfig = AltgenConfig['limits'];
export type ModelConfig = AltgenConfig['model'];

export const DEFAULT_CONFIG: AltgenConfig = configSchema.parse({});
