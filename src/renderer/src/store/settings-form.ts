import type { z } from 'zod';
import { altTextSchema, batchProcessingSchema, modelSchema, type AltgenConfig } from '../../../shared/config-schema';
import type { BridgeError, SettingsPatch } from '../../../shared/ipc-contract';

/**
 * The settings form: its fields as typed text, checked against the same zod schema main
 * validates `config.yaml` with, so the bounds live in one place. Pure.
 */
export interface SettingsForm {
  readonly provider: AltgenConfig['model']['provider'];
  readonly base_url: string;
  readonly model_name: string;
  readonly policy: AltgenConfig['alt_text']['policy'];
  readonly decorative: AltgenConfig['alt_text']['decorative'];
  readonly char_limit: string;
  readonly workers: string;
  /** The error threshold as a percentage (config.yaml keeps a fraction). */
  readonly threshold_percent: string;
  readonly timeout_seconds: string;
}

export type SettingsField = keyof SettingsForm;
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export const PROVIDERS = modelSchema.shape.provider.unwrap().options;
export const POLICIES = altTextSchema.shape.policy.unwrap().options;
export const DECORATIVE_MODES = altTextSchema.shape.decorative.unwrap().options;

export function formFromConfig(config: AltgenConfig): SettingsForm {
  return {
    provider: config.model.provider,
    base_url: config.model.base_url,
    model_name: config.model.name,
    policy: config.alt_text.policy,
    decorative: config.alt_text.decorative,
    char_limit: String(config.alt_text.char_limit),
    workers: String(config.batch_processing.default_max_workers),
    threshold_percent: String(Math.round(config.batch_processing.stop_on_error_threshold * 1000) / 10),
    timeout_seconds: String(config.batch_processing.file_timeout_seconds),
  };
}

/** "a whole number from 40 to 1000", read off the schema itself. */
function rangeWords(schema: z.ZodNumber, scale = 1): string {
  const accepts = (value: number) => schema.safeParse(value).success;
  const min = schema.minValue ?? -Infinity;
  const max = schema.maxValue ?? Infinity;
  const kind = schema.isInt ? 'a whole number' : 'a number';
  const low = schema.isInt && !accepts(min) ? min + 1 : min;
  if (!schema.isInt && !accepts(min)) {
    return max === Infinity ? `${kind} greater than ${min * scale}` : `${kind} greater than ${min * scale}, at most ${max * scale}`;
  }
  if (max === Infinity) return `${kind} of ${low * scale} or more`;
  return `${kind} from ${low * scale} to ${max * scale}`;
}

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

const CHAR_LIMIT = altTextSchema.shape.char_limit.unwrap();
const WORKERS = batchProcessingSchema.shape.default_max_workers.unwrap();
const THRESHOLD = batchProcessingSchema.shape.stop_on_error_threshold.unwrap();
const TIMEOUT = batchProcessingSchema.shape.file_timeout_seconds.unwrap();
const BASE_URL = modelSchema.shape.base_url.unwrap();
const MODEL_NAME = modelSchema.shape.name.unwrap();

export const FIELD_HINTS: Readonly<Partial<Record<SettingsField, string>>> = {
  base_url: 'The web address of the model server, starting with http:// or https://.',
  char_limit: `Target length of a description: ${rangeWords(CHAR_LIMIT)} characters.`,
  workers: `Decks processed at the same time: ${rangeWords(WORKERS)}.`,
  threshold_percent: `Stop the batch when more than this share of the files tried have failed: ${rangeWords(THRESHOLD, 100)} percent.`,
  timeout_seconds: `How long one deck may take before it is stopped: ${rangeWords(TIMEOUT)} seconds.`,
};

function checkNumber(text: string, schema: z.ZodNumber, what: string, scale = 1): { value: number | null; error?: string } {
  const parsed = parseNumber(text);
  const value = parsed === null ? null : parsed / scale;
  if (value === null || !schema.safeParse(value).success) return { value: null, error: `${what} must be ${rangeWords(schema, scale)}.` };
  return { value };
}

/** The patch to save, or the message for every field that is not right. */
export function validateSettingsForm(form: SettingsForm): { readonly patch: SettingsPatch | null; readonly errors: SettingsErrors } {
  const errors: { -readonly [K in SettingsField]?: string } = {};
  const baseUrl = form.base_url.trim();
  if (!BASE_URL.safeParse(baseUrl).success) errors.base_url = 'The model server address must be a web address starting with http:// or https://.';
  const modelName = form.model_name.trim();
  if (!MODEL_NAME.safeParse(modelName).success) errors.model_name = 'Enter the model’s name, as the server lists it (for example llava).';
  const charLimit = checkNumber(form.char_limit, CHAR_LIMIT, 'The character limit');
  const workers = checkNumber(form.workers, WORKERS, 'Files at once');
  const threshold = checkNumber(form.threshold_percent, THRESHOLD, 'The error threshold', 100);
  const timeout = checkNumber(form.timeout_seconds, TIMEOUT, 'The timeout');
  if (charLimit.error) errors.char_limit = charLimit.error;
  if (workers.error) errors.workers = workers.error;
  if (threshold.error) errors.threshold_percent = threshold.error;
  if (timeout.error) errors.timeout_seconds = timeout.error;
  if (Object.keys(errors).length > 0 || charLimit.value === null || workers.value === null || threshold.value === null || timeout.value === null) {
    return { patch: null, errors };
  }
  return {
    patch: {
      model: { provider: form.provider, base_url: baseUrl, name: modelName },
      alt_text: { policy: form.policy, decorative: form.decorative, char_limit: charLimit.value },
      batch_processing: {
        default_max_workers: workers.value,
        stop_on_error_threshold: threshold.value,
        file_timeout_seconds: timeout.value,
      },
    },
    errors,
  };
}

const FIELD_KEYS: readonly (readonly [RegExp, SettingsField])[] = [
  [/base_url/, 'base_url'],
  [/model\.name|\bname\b/, 'model_name'],
  [/provider/, 'provider'],
  [/policy/, 'policy'],
  [/decorative/, 'decorative'],
  [/char_limit/, 'char_limit'],
  [/default_max_workers|max_workers/, 'workers'],
  [/stop_on_error_threshold/, 'threshold_percent'],
  [/file_timeout_seconds/, 'timeout_seconds'],
];

/** The field a validation error from main is about, when its message names the config key. */
export function fieldOfBridgeError(error: BridgeError): SettingsField | null {
  for (const [pattern, field] of FIELD_KEYS) if (pattern.test(error.message)) return field;
  return null;
}
