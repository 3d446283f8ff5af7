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
  /** At most a day: longer would overflow Node's timers, which then fire at once. */
  file_timeout_seconds: z.number().positive().max(86_400).default(300),
  /**
   * How long a batch waits for the model server to come back once it stops answering; the
   * batch resumes by itself when it does. 0 stops the batch (paused) at once.
   */
  model_wait_minutes: z.number().min(0).max(24 * 60).default(30),
});

/**
 * The seed's external-processor mode: a command run once per file, `{input}` and `{output}`
 * replaced by the deck and the temporary output path. A string is split like a shell would
 * (quotes, no expansion); a list is taken as argv.
 */
export const processorSchema = z.object({
  command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).nullable().default(null),
});

const modelUrl = z.url({ protocol: /^https?$/ });
const parallelRequests = z.number().int().min(1).max(256);

/** One entry of `model.servers` written as a group of settings; what it leaves out comes from `model`. */
export const modelServerSchema = z.object({
  base_url: modelUrl,
  provider: z.enum(['ollama', 'openai']).optional(),
  name: z.string().min(1).optional(),
  api_key_env: z.string().min(1).nullable().optional(),
  parallel_requests: parallelRequests.nullable().optional(),
});

export const modelSchema = z.object({
  /** offline: no model; drafts from the text in the image and the slide, marked for review. */
  provider: z.enum(['ollama', 'openai', 'offline']).default('ollama'),
  base_url: modelUrl.default('http://127.0.0.1:11434'),
  name: z.string().min(1).default('llava'),
  /** Name of the environment variable holding the API key (openai-compatible servers). */
  api_key_env: z.string().min(1).nullable().default(null),
  /** How long the dry run waits for the model server to answer. */
  check_timeout_seconds: z.number().positive().default(5),
  /** How long one description may take (vision models on a laptop CPU are slow). */
  timeout_seconds: z.number().positive().default(180),
  /** Retries, with backoff, after a timeout or a 5xx answer. */
  max_retries: z.number().int().min(0).max(10).default(2),
  temperature: z.number().min(0).max(2).default(0.2),
  /**
   * Requests each model server gets at once; null finds it by watching throughput and latency
   * (src/main/describe/concurrency-limit.ts). Time in the server's own queue is not timed out.
   */
  parallel_requests: parallelRequests.nullable().default(null),
  /**
   * Several servers for one batch; empty uses `base_url` alone. Each is a web address, or a
   * group of settings naming its own `provider`, `name`, `api_key_env` or `parallel_requests`
   * (the keys above are the rest). Requests go to the least loaded server that answers.
   */
  servers: z.array(z.union([modelUrl, modelServerSchema])).default([]),
});

export const PROMPT_CATEGORIES = ['auto', 'default', 'anatomical', 'diagnostic', 'chart', 'diagram', 'clinical_photo'] as const;
export type PromptCategory = (typeof PROMPT_CATEGORIES)[number];

/** What gets described and how (the processor). */
export const altTextSchema = z.object({
  /** preserve: describe missing and weak; overwrite: all but decorative; missing-only: only missing. */
  policy: z.enum(['preserve', 'overwrite', 'missing-only']).default('preserve'),
  /** suggest: report likely decorative pictures; apply: mark them decorative and describe nothing. */
  decorative: z.enum(['suggest', 'apply']).default('suggest'),
  char_limit: z.number().int().min(40).max(1000).default(125),
  min_meaningful_alt_chars: z.number().int().min(0).max(200).default(8),
  /** Extra regular expressions (case-insensitive) that mark existing alt text as weak. */
  weak_patterns: z.array(z.string().min(1)).default([]),
  include_layouts: z.boolean().default(false),
  prompt_category: z.enum(PROMPT_CATEGORIES).default('auto'),
  /**
   * Your own instructions for the model, per category (default, anatomical, diagnostic, chart,
   * diagram, clinical_photo), replacing the built-in ones; the lecture context and the length
   * limit are still added.
   */
  prompt_templates: z.partialRecord(z.enum(PROMPT_CATEGORIES.filter((c) => c !== 'auto') as [Exclude<PromptCategory, 'auto'>, ...Exclude<PromptCategory, 'auto'>[]]), z.string().min(10)).default({}),
  /** The course or discipline, given to the model as context ("Year 1 anatomy"). */
  course: z.string().min(1).nullable().default(null),
  include_notes_in_prompt: z.boolean().default(true),
  max_image_dimension: z.number().int().min(64).max(4096).default(1024),
  /** Pictures no larger than this many pixels on both sides are likely decorative. */
  tiny_image_max_px: z.number().int().min(0).max(512).default(32),
  /** The same image on at least this share of the slides (and on 3 or more) is likely decorative. */
  repeated_image_min_share: z.number().min(0).max(1).default(0.5),
  /**
   * The language of the prompts and of the alt text: a language tag (`en`, `de`, `fr-CA`), or
   * `auto` for the deck's own language (from its XML), else English.
   */
  language: z
    .string()
    .regex(/^(auto|[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/, 'a language tag such as en, de or fr-CA, or auto')
    .default('auto'),
  /** Read the text in each picture (OCR, on this computer) and give it to the model as context. */
  read_text_in_images: z.boolean().default(true),
  /** Charts, SmartArt and tables get alt text from their own data (no model needed). */
  describe_graphics: z.boolean().default(true),
  /** notes: also write a longer description of charts and diagrams into the slide's speaker notes. */
  long_descriptions: z.enum(['off', 'notes']).default('off'),
});

/**
 * The accessibility audit's safe fixes, made in the copy only, through the same byte-minimal
 * rewrite as alt text (src/main/audit/audit-fixes.ts). Both are off unless asked for.
 */
export const accessibilitySchema = z.object({
  /**
   * off: leave languages alone. auto: mark text runs without a language with the deck's
   * language, and runs marked with a language their text is not written in with the one it is.
   * A language tag: the deck is in that language (runs without one, and runs of text written
   * in it but marked otherwise, are marked with it; so is the presentation's default).
   */
  set_language: z
    .string()
    .regex(/^(off|auto|[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/, 'off, auto, or a language tag such as en-US, de or fr-CA')
    .default('off'),
  /** Mark the first row of a table without a header row as its header, when every cell of that row has text. */
  mark_table_headers: z.boolean().default(false),
});

export const cacheSchema = z.object({
  enabled: z.boolean().default(true),
  /** Where descriptions are cached; null means `<user data folder>/cache`. */
  dir: z.string().min(1).nullable().default(null),
});

/** Bounds on reading untrusted decks (DESIGN.md, "Untrusted input"). */
export const limitsSchema = z.object({
  max_zip_entries: positiveInt.default(10_000),
  max_uncompressed_bytes: positiveInt.default(4 * 1024 ** 3),
  max_entry_uncompressed_bytes: positiveInt.default(1024 ** 3),
  max_compression_ratio: z.number().positive().default(200),
  /**
   * Parts that inflate to no more than this are not held to max_compression_ratio (Apache
   * POI's grace size): vector pictures (EMF, WMF) and XML honestly compress up to deflate's
   * limit of about 1000:1. 64 MiB is more than real decks' vector pictures and slides reach,
   * and what one part within it costs (64 MiB from 64 KB) is what one decoded photo costs
   * anyway; a ratio bomb needs far more. The size limits above hold for every part.
   */
  compression_ratio_grace_bytes: z.number().int().nonnegative().default(64 * 1024 ** 2),
});

export const configSchema = z.object({
  batch_processing: batchProcessingSchema.prefault({}),
  processor: processorSchema.prefault({}),
  model: modelSchema.prefault({}),
  limits: limitsSchema.prefault({}),
  alt_text: altTextSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  accessibility: accessibilitySchema.prefault({}),
});

export type AltgenConfig = z.infer<typeof configSchema>;
export type BatchProcessingConfig = AltgenConfig['batch_processing'];
export type LimitsConfig = AltgenConfig['limits'];
export type ModelConfig = AltgenConfig['model'];
export type ModelServerEntry = ModelConfig['servers'][number];
export type AltTextConfig = AltgenConfig['alt_text'];
export type CacheConfig = AltgenConfig['cache'];
export type AccessibilityConfig = AltgenConfig['accessibility'];

export const DEFAULT_CONFIG: AltgenConfig = configSchema.parse({});
