import type { z } from 'zod';
import { altTextSchema, batchProcessingSchema, modelSchema, modelServerSchema, type AltgenConfig, type ModelServerEntry } from '../../../shared/config-schema';
import { ENV_VAR_NAME } from '../../../shared/env-var-name';
import type { BridgeError, ModelCheckRequest, SettingsPatch } from '../../../shared/ipc-contract';

export type ServerKind = NonNullable<Exclude<ModelServerEntry, string>['provider']>;

/**
 * One of `model.servers` as typed. An empty model or key variable is left out of the entry, so
 * the server uses the ones above (the entry's own rule in config.yaml).
 */
export interface ServerForm {
  readonly base_url: string;
  readonly provider: ServerKind;
  readonly name: string;
  /** The name of the environment variable holding the key, never the key. */
  readonly api_key_env: string;
  /** Kept as config.yaml says; the screen does not edit it. */
  readonly parallel_requests?: number | null;
}

export type ServerField = 'base_url' | 'provider' | 'name' | 'api_key_env';

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
  /** The course or discipline given to the model as context; empty for none. */
  readonly course: string;
  /** `auto` or a language tag. */
  readonly language: string;
  readonly long_descriptions: AltgenConfig['alt_text']['long_descriptions'];
  readonly read_text_in_images: boolean;
  readonly include_layouts: boolean;
  readonly workers: string;
  /**
   * The error threshold as a percentage: 50 means 50 % here, and it is saved as 0.5, which is
   * what 0.5 means in config.yaml. A value below 1 is asked about (see thresholdQuestion).
   */
  readonly threshold_percent: string;
  readonly timeout_seconds: string;
  readonly model_wait_minutes: string;
  readonly cache_enabled: boolean;
  /** `model.servers`; empty uses the server address above alone. */
  readonly servers: readonly ServerForm[];
}

export type SettingsField = keyof SettingsForm;
/** A field of one server of the list, as `servers.<index>.<field>`. */
export type ServerErrorKey = `servers.${number}.${ServerField}`;
export type SettingsErrors = Partial<Record<SettingsField | ServerErrorKey, string>>;

export function serverErrorKey(index: number, field: ServerField): ServerErrorKey {
  return `servers.${index}.${field}`;
}

export const PROVIDERS = modelSchema.shape.provider.unwrap().options;
export const POLICIES = altTextSchema.shape.policy.unwrap().options;
export const DECORATIVE_MODES = altTextSchema.shape.decorative.unwrap().options;

/** A percentage as people write it: at most one decimal, no trailing ".0". */
function percentText(fraction: number): string {
  return String(Math.round(fraction * 1000) / 10);
}

/** The kind a server without its own takes: the section's, or Ollama when the section is offline. */
function inheritedKind(config: AltgenConfig): ServerKind {
  return config.model.provider === 'offline' ? 'ollama' : config.model.provider;
}

function serverFromEntry(entry: ModelServerEntry, config: AltgenConfig): ServerForm {
  if (typeof entry === 'string') return { base_url: entry, provider: inheritedKind(config), name: '', api_key_env: '' };
  return {
    base_url: entry.base_url,
    provider: entry.provider ?? inheritedKind(config),
    name: entry.name ?? '',
    api_key_env: entry.api_key_env ?? '',
    ...(entry.parallel_requests !== undefined ? { parallel_requests: entry.parallel_requests } : {}),
  };
}

export function newServerForm(form: SettingsForm): ServerForm {
  return { base_url: '', provider: form.provider === 'offline' ? 'ollama' : form.provider, name: '', api_key_env: '' };
}

export function formFromConfig(config: AltgenConfig): SettingsForm {
  return {
    provider: config.model.provider,
    base_url: config.model.base_url,
    model_name: config.model.name,
    policy: config.alt_text.policy,
    decorative: config.alt_text.decorative,
    char_limit: String(config.alt_text.char_limit),
    course: config.alt_text.course ?? '',
    language: config.alt_text.language,
    long_descriptions: config.alt_text.long_descriptions,
    read_text_in_images: config.alt_text.read_text_in_images,
    include_layouts: config.alt_text.include_layouts,
    workers: String(config.batch_processing.default_max_workers),
    threshold_percent: percentText(config.batch_processing.stop_on_error_threshold),
    timeout_seconds: String(config.batch_processing.file_timeout_seconds),
    model_wait_minutes: String(config.batch_processing.model_wait_minutes),
    cache_enabled: config.cache.enabled,
    servers: config.model.servers.map((entry) => serverFromEntry(entry, config)),
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
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

const CHAR_LIMIT = altTextSchema.shape.char_limit.unwrap();
const LANGUAGE = altTextSchema.shape.language.unwrap();
const WORKERS = batchProcessingSchema.shape.default_max_workers.unwrap();
const THRESHOLD = batchProcessingSchema.shape.stop_on_error_threshold.unwrap();
const TIMEOUT = batchProcessingSchema.shape.file_timeout_seconds.unwrap();
const MODEL_WAIT = batchProcessingSchema.shape.model_wait_minutes.unwrap();
const BASE_URL = modelSchema.shape.base_url.unwrap();
const MODEL_NAME = modelSchema.shape.name.unwrap();
const SERVER_URL = modelServerSchema.shape.base_url;
/** What request-schemas.ts allows for a course (one line). */
const MAX_COURSE_CHARS = 200;

export const FIELD_HINTS: Readonly<Partial<Record<SettingsField, string>>> = {
  base_url: 'The web address of the model server, starting with http:// or https://. Used alone unless servers are listed under “Several model servers”.',
  char_limit: `Target length of a description: ${rangeWords(CHAR_LIMIT)} characters.`,
  course: 'The course or discipline, given to the model as context, for example “Year 1 anatomy”. Leave it empty for none.',
  language: 'auto uses each deck’s own language; or a language tag such as en, de or fr-CA.',
  workers: `Decks processed at the same time: ${rangeWords(WORKERS)}.`,
  threshold_percent: `Stop the batch when more than this share of the files tried have failed: ${rangeWords(THRESHOLD, 100)} percent (50 means half; in config.yaml the same setting is written 0.5).`,
  timeout_seconds: `How long one deck may take before it is stopped: ${rangeWords(TIMEOUT)} seconds.`,
  model_wait_minutes: `When the model server stops answering, the batch pauses and waits this long for it to come back: ${rangeWords(MODEL_WAIT)} minutes (0 stops at once).`,
};

function checkNumber(text: string, schema: z.ZodNumber, what: string, scale = 1): { value: number | null; error?: string } {
  const parsed = parseNumber(text);
  const value = parsed === null ? null : parsed / scale;
  if (value === null || !schema.safeParse(value).success) return { value: null, error: `${what} must be ${rangeWords(schema, scale)}.` };
  return { value };
}

/**
 * A threshold typed below 1 % is most likely a fraction as config.yaml writes it (0.5 for
 * 50 %): the form asks "Did you mean 50 %?" instead of stopping batches at the first failure.
 * Null when there is nothing to ask, or when the user answered that they meant what they typed.
 */
export function thresholdQuestion(form: SettingsForm, keptAsTyped: string | null): { readonly typed: number; readonly suggestion: number } | null {
  const typed = parseNumber(form.threshold_percent);
  if (typed === null || typed <= 0 || typed >= 1 || form.threshold_percent.trim() === keptAsTyped) return null;
  return { typed, suggestion: Math.round(typed * 1000) / 10 };
}

/** Each server's entry for config.yaml, and the message for every field of the list that is not right. */
function checkServers(servers: readonly ServerForm[]): { readonly entries: ModelServerEntry[]; readonly errors: SettingsErrors } {
  const errors: { -readonly [K in keyof SettingsErrors]: string } = {};
  const entries = servers.map((server, index): ModelServerEntry => {
    const base_url = server.base_url.trim();
    const name = server.name.trim();
    const api_key_env = server.api_key_env.trim();
    if (!SERVER_URL.safeParse(base_url).success) {
      errors[serverErrorKey(index, 'base_url')] = `Server ${index + 1}: the address must be a web address starting with http:// or https://.`;
    }
    if (name !== '' && !MODEL_NAME.safeParse(name).success) errors[serverErrorKey(index, 'name')] = `Server ${index + 1}: enter the model’s name, or leave it empty.`;
    if (api_key_env !== '' && !ENV_VAR_NAME.test(api_key_env)) {
      errors[serverErrorKey(index, 'api_key_env')] =
        `Server ${index + 1}: enter the name of the environment variable that holds the key (for example OPENAI_API_KEY), not the key itself.`;
    }
    return {
      base_url,
      provider: server.provider,
      ...(name !== '' ? { name } : {}),
      ...(api_key_env !== '' ? { api_key_env } : {}),
      ...(server.parallel_requests !== undefined ? { parallel_requests: server.parallel_requests } : {}),
    };
  });
  const seen = new Set<string>();
  servers.forEach((server, index) => {
    const address = server.base_url.trim().replace(/\/+$/, '');
    const key = serverErrorKey(index, 'base_url');
    if (seen.has(address) && errors[key] === undefined) errors[key] = `Server ${index + 1}: this address is already in the list.`;
    seen.add(address);
  });
  return { entries, errors };
}

/** The patch to save, or the message for every field that is not right. */
export function validateSettingsForm(form: SettingsForm): { readonly patch: SettingsPatch | null; readonly errors: SettingsErrors } {
  const errors: { -readonly [K in keyof SettingsErrors]: string } = {};
  const baseUrl = form.base_url.trim();
  if (!BASE_URL.safeParse(baseUrl).success) errors.base_url = 'The model server address must be a web address starting with http:// or https://.';
  const modelName = form.model_name.trim();
  if (!MODEL_NAME.safeParse(modelName).success) errors.model_name = 'Enter the model’s name, as the server lists it (for example llava).';
  const course = form.course.trim();
  if (course.length > MAX_COURSE_CHARS || /[\r\n]/.test(course)) errors.course = `The course must be one line of at most ${MAX_COURSE_CHARS} characters.`;
  const language = form.language.trim();
  if (!LANGUAGE.safeParse(language).success) errors.language = 'The language must be auto, or a language tag such as en, de or fr-CA.';
  const charLimit = checkNumber(form.char_limit, CHAR_LIMIT, 'The character limit');
  const workers = checkNumber(form.workers, WORKERS, 'Files at once');
  const threshold = checkNumber(form.threshold_percent, THRESHOLD, 'The error threshold', 100);
  const timeout = checkNumber(form.timeout_seconds, TIMEOUT, 'The timeout');
  const modelWait = checkNumber(form.model_wait_minutes, MODEL_WAIT, 'The wait for the model server');
  if (charLimit.error) errors.char_limit = charLimit.error;
  if (workers.error) errors.workers = workers.error;
  if (threshold.error) errors.threshold_percent = threshold.error;
  if (timeout.error) errors.timeout_seconds = timeout.error;
  if (modelWait.error) errors.model_wait_minutes = modelWait.error;
  const servers = checkServers(form.servers);
  Object.assign(errors, servers.errors);
  if (
    Object.keys(errors).length > 0 ||
    charLimit.value === null ||
    workers.value === null ||
    threshold.value === null ||
    timeout.value === null ||
    modelWait.value === null
  ) {
    return { patch: null, errors };
  }
  return {
    patch: {
      model: { provider: form.provider, base_url: baseUrl, name: modelName, servers: servers.entries },
      alt_text: {
        policy: form.policy,
        decorative: form.decorative,
        char_limit: charLimit.value,
        course: course === '' ? null : course,
        language,
        long_descriptions: form.long_descriptions,
        read_text_in_images: form.read_text_in_images,
        include_layouts: form.include_layouts,
      },
      batch_processing: {
        default_max_workers: workers.value,
        stop_on_error_threshold: threshold.value,
        file_timeout_seconds: timeout.value,
        model_wait_minutes: modelWait.value,
      },
      cache: { enabled: form.cache_enabled },
    },
    errors,
  };
}

/** The model server as typed, for "Check this address" before it is saved. */
export function typedModelAddress(form: SettingsForm): ModelCheckRequest | null {
  const base_url = form.base_url.trim();
  const name = form.model_name.trim();
  if (!BASE_URL.safeParse(base_url).success || !MODEL_NAME.safeParse(name).success) return null;
  return { provider: form.provider, base_url, name };
}

/**
 * The patch without `servers` when the list is what config.yaml already says: the list is saved
 * only when it was changed, so saving other settings leaves the file's own way of writing it.
 */
export function withoutUnchangedServers(patch: SettingsPatch, saved: AltgenConfig | null): SettingsPatch {
  const servers = patch.model?.servers;
  if (saved === null || servers === undefined || patch.model === undefined) return patch;
  const savedServers = checkServers(formFromConfig(saved).servers).entries;
  if (JSON.stringify(servers) !== JSON.stringify(savedServers)) return patch;
  const { servers: _unchanged, ...model } = patch.model;
  return { ...patch, model };
}

/** One server of the list as typed, for its "Check"; null until its address is a web address. */
export function typedServerAddress(form: SettingsForm, index: number): ModelCheckRequest | null {
  const server = form.servers[index];
  if (!server) return null;
  const base_url = server.base_url.trim();
  const name = server.name.trim() || form.model_name.trim();
  const api_key_env = server.api_key_env.trim();
  if (!SERVER_URL.safeParse(base_url).success || !MODEL_NAME.safeParse(name).success) return null;
  if (api_key_env !== '' && !ENV_VAR_NAME.test(api_key_env)) return null;
  return { provider: server.provider, base_url, name, ...(api_key_env !== '' ? { api_key_env } : {}) };
}

const FIELD_KEYS: readonly (readonly [RegExp, SettingsField])[] = [
  // Before base_url: a refusal about `model.servers.0.base_url` is about the list.
  [/servers/, 'servers'],
  [/base_url/, 'base_url'],
  [/model\.name|\bname\b/, 'model_name'],
  [/provider/, 'provider'],
  [/policy/, 'policy'],
  [/decorative/, 'decorative'],
  [/char_limit/, 'char_limit'],
  [/course/, 'course'],
  [/language/, 'language'],
  [/long_descriptions/, 'long_descriptions'],
  [/read_text_in_images/, 'read_text_in_images'],
  [/include_layouts/, 'include_layouts'],
  [/default_max_workers|max_workers/, 'workers'],
  [/stop_on_error_threshold/, 'threshold_percent'],
  [/file_timeout_seconds/, 'timeout_seconds'],
  [/model_wait_minutes/, 'model_wait_minutes'],
  [/cache\.enabled/, 'cache_enabled'],
];

/** The field a validation error from main is about, when its message names the config key. */
export function fieldOfBridgeError(error: BridgeError): SettingsField | null {
  for (const [pattern, field] of FIELD_KEYS) if (pattern.test(error.message)) return field;
  return null;
}
