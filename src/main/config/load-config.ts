/**
 * Finds and reads `config.yaml` into an {@link AltgenConfig}.
 *
 * Guarantees: a missing file means the schema's defaults; a file that is there is either
 * read completely or refused with a {@link ConfigError} whose message is one line naming the
 * file, the line, the key and what is wrong — a bad value never silently falls back to its
 * default. YAML is read with js-yaml's default (core) schema, which has no code-running tags:
 * `!!js/function`, `!!python/object` and every other non-core tag is a syntax error. Unknown
 * keys are ignored with a warning, never an error, so a config written for a newer version
 * still loads.
 *
 * Not guaranteed: that values which pass the schema make sense together (for example that a
 * `processor.command` names a program that exists); the parts that use them check that.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EVENT_ID, YAMLException, getScalarValue, loadAll, parseEvents } from 'js-yaml';
import type { Event as YamlEvent } from 'js-yaml';
import { z } from 'zod';
import { configSchema } from '../../shared/config-schema';
import type { AltgenConfig } from '../../shared/config-schema';

type Env = Readonly<Record<string, string | undefined>>;
type JsonSchema = z.core.JSONSchema.BaseSchema;

const APP_FOLDER = 'altgen';
/** In each folder searched, the first of these that exists is used. */
const CONFIG_FILE_NAMES = ['config.yaml', 'config.yml'] as const;
/** A config file is a few dozen lines; anything this large is almost surely the wrong file. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** config.yaml could not be used; `message` is one line a faculty member can act on. */
export class ConfigError extends Error {
  readonly code = 'ECONFIG';
  readonly file: string;
  /** Every problem found, one line each; `message` reports the first. */
  readonly problems: readonly string[];

  constructor(message: string, file: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

export interface LoadedConfig {
  readonly config: AltgenConfig;
  /** The file read, or null when none was found and the defaults apply. */
  readonly path: string | null;
  /** One line each: unknown keys, ignored files. */
  readonly warnings: readonly string[];
}

export interface FindConfigOptions {
  /** A `--config` path; relative paths are taken from `cwd`. It must exist. */
  readonly explicit?: string | undefined;
  readonly cwd: string;
  readonly env: Env;
}

export interface LoadConfigOptions {
  readonly explicit?: string | undefined;
  readonly cwd?: string;
  readonly env?: Env;
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** XDG base directories must be absolute; a relative one is ignored, as the spec says. */
function xdgDir(value: string | undefined): string | undefined {
  const dir = nonEmpty(value);
  return dir !== undefined && path.posix.isAbsolute(dir) ? dir : undefined;
}

/**
 * Where the user's own `config.yaml` lives: `$ALTGEN_CONFIG_DIR` if set (used as given), else
 * `$XDG_CONFIG_HOME/altgen` or `~/.config/altgen` (Linux and other Unixes),
 * `~/Library/Application Support/altgen` (macOS), `%APPDATA%\altgen` (Windows).
 */
export function userConfigDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = nonEmpty(env['ALTGEN_CONFIG_DIR']);
  if (override !== undefined) return override;
  const p = pathApi(platform);
  switch (platform) {
    case 'win32':
      return p.join(nonEmpty(env['APPDATA']) ?? p.join(home, 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', APP_FOLDER);
    default:
      return p.join(xdgDir(env['XDG_CONFIG_HOME']) ?? p.join(home, '.config'), APP_FOLDER);
  }
}

/**
 * Where caches and the index of known batches live: `$ALTGEN_DATA_DIR` if set (used as
 * given), else `$XDG_DATA_HOME/altgen` or `~/.local/share/altgen` (Linux and other Unixes),
 * `~/Library/Application Support/altgen` (macOS), `%LOCALAPPDATA%\altgen` (Windows).
 */
export function userDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = nonEmpty(env['ALTGEN_DATA_DIR']);
  if (override !== undefined) return override;
  const p = pathApi(platform);
  switch (platform) {
    case 'win32':
      return p.join(nonEmpty(env['LOCALAPPDATA']) ?? p.join(home, 'AppData', 'Local'), APP_FOLDER);
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', APP_FOLDER);
    default:
      return p.join(xdgDir(env['XDG_DATA_HOME']) ?? p.join(home, '.local', 'share'), APP_FOLDER);
  }
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new ConfigError(`config file could not be checked: ${file} (${code ?? String(error)})`, file);
  }
}

interface Located {
  readonly file: string | null;
  readonly warnings: string[];
}

async function findInFolder(dir: string): Promise<Located> {
  const present: string[] = [];
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (await isFile(candidate)) present.push(candidate);
  }
  const [file, ...ignored] = present;
  const used = path.basename(file ?? '');
  return {
    file: file ?? null,
    warnings: ignored.map((other) => `${other} is ignored because ${used} is in the same folder`),
  };
}

async function locateConfigFile(options: FindConfigOptions): Promise<Located> {
  if (options.explicit !== undefined) {
    const file = path.resolve(options.cwd, options.explicit);
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new ConfigError(`config file is a folder, not a file: ${file}`, file);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ConfigError(`config file not found: ${file}`, file);
      throw new ConfigError(`config file could not be opened: ${file} (${code ?? String(error)})`, file);
    }
    return { file, warnings: [] };
  }
  const inCwd = await findInFolder(path.resolve(options.cwd));
  if (inCwd.file !== null) return inCwd;
  return findInFolder(userConfigDir(options.env));
}

/**
 * The config file to use: the `--config` path (which must exist), else `config.yaml` in the
 * current folder, else `config.yaml` in {@link userConfigDir}; null when there is none. In
 * the two folders searched, `config.yml` is accepted when there is no `config.yaml`.
 */
export async function findConfigFile(options: FindConfigOptions): Promise<string | null> {
  return (await locateConfigFile(options)).file;
}

/** Finds, reads and checks the config; see {@link findConfigFile} for the search order. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const located = await locateConfigFile({ explicit: options.explicit, cwd, env });
  if (located.file === null) {
    return { config: configSchema.parse({}), path: null, warnings: located.warnings };
  }
  const file = located.file;
  const name = displayName(file, cwd);
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_CONFIG_BYTES) {
      const size = `${Math.round(stat.size / 1024)} KB`;
      throw new ConfigError(`${name}: the file is ${size}, too large for a config file — is it the right file?`, file);
    }
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${name}: could not be read (${errnoCode(error) ?? String(error)})`, file);
  }
  const parsed = parseConfigText(text, file, name);
  return { config: parsed.config, path: file, warnings: [...located.warnings, ...parsed.warnings] };
}

/**
 * Checks the text of a config file (the pure half of {@link loadConfig}). `name` is how the
 * file is called in messages; `file` is stored on a thrown {@link ConfigError}.
 */
export function parseConfigText(
  text: string,
  file: string,
  name: string = file,
): { config: AltgenConfig; warnings: string[] } {
  const raw = readYaml(text, file, name);
  if (raw === null) return { config: configSchema.parse({}), warnings: [] };
  if (!isMapping(raw)) {
    throw new ConfigError(
      `${name}: the file should hold settings as "key: value" lines, but it holds ${describeFound(raw)}`,
      file,
    );
  }
  const positions = new KeyPositions(text);
  const warnings = unknownKeyWarnings(raw, CONFIG_JSON_SCHEMA, [], positions, name);
  const result = configSchema.safeParse(emptySectionsAsEmpty(raw, CONFIG_JSON_SCHEMA));
  if (!result.success) {
    const problems = describeIssues(result.error.issues, raw, positions, name);
    const [first] = problems;
    const more = problems.length - 1;
    const suffix = more > 0 ? ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : '';
    throw new ConfigError(`${first ?? `${name}: invalid settings`}${suffix}`, file, problems);
  }
  return { config: result.data, warnings };
}

// ─── YAML ───────────────────────────────────────────────────────────────────────────────

/** The parsed document, or null for an empty file (or one holding only comments). */
function readYaml(text: string, file: string, name: string): unknown {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch (error) {
    throw yamlError(error, file, name);
  }
  if (documents.length > 1) {
    throw new ConfigError(
      `${name}: the file holds ${documents.length} YAML documents separated by "---"; put all settings in one`,
      file,
    );
  }
  return documents[0] ?? null;
}

const FRIENDLY_YAML_REASONS: ReadonlyMap<string, string> = new Map([
  ['duplicated mapping key', 'the same key appears twice'],
  ['null byte is not allowed in input', 'the file contains binary data, not text'],
]);

function yamlError(error: unknown, file: string, name: string): ConfigError {
  if (!(error instanceof YAMLException)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new ConfigError(`${name}: could not be read as YAML (${detail})`, file);
  }
  const place = error.mark ? `${name}, line ${error.mark.line + 1}, column ${error.mark.column + 1}` : name;
  const tag = /^unknown (?:scalar |sequence |mapping )?tag !<(.*)>$/.exec(error.reason)?.[1];
  const what =
    tag !== undefined
      ? `the YAML tag ${tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed (settings are plain values)`
      : `not valid YAML — ${FRIENDLY_YAML_REASONS.get(error.reason) ?? error.reason}`;
  return new ConfigError(`${place}: ${what}`, file);
}

/**
 * Line numbers of mapping keys, by key path, for messages. Built from js-yaml's event stream
 * (which carries source offsets) only when a message needs one.
 */
class KeyPositions {
  private lines: Map<string, number> | null = null;

  constructor(private readonly text: string) {}

  lineOf(keyPath: readonly string[]): number | undefined {
    this.lines ??= collectKeyLines(this.text);
    for (let length = keyPath.length; length > 0; length -= 1) {
      const line = this.lines.get(keyPath.slice(0, length).join('\u0000'));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

function collectKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let events: YamlEvent[];
  try {
    events = parseEvents(text, {});
  } catch {
    return lines;
  }
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  let index = 0;
  // Walks one node starting at events[index]; records the keys of mappings under `prefix`.
  const atEnd = (): boolean => events[index] === undefined || events[index]?.type === EVENT_ID.POP;
  const walk = (prefix: readonly string[]): void => {
    const event = events[index];
    index += 1;
    if (event?.type === EVENT_ID.SEQUENCE) {
      for (let item = 0; !atEnd(); item += 1) walk([...prefix, String(item)]);
      index += 1;
    } else if (event?.type === EVENT_ID.MAPPING) {
      while (!atEnd()) {
        const key = events[index];
        let keyPath = prefix;
        if (key?.type === EVENT_ID.SCALAR && key.valueStart >= 0) {
          keyPath = [...prefix, getScalarValue(text, key)];
          lines.set(keyPath.join('\u0000'), lineAt(key.valueStart));
        }
        walk(prefix);
        walk(keyPath);
      }
      index += 1;
    }
  };
  while (index < events.length) {
    const event = events[index];
    index += 1;
    if (event?.type === EVENT_ID.DOCUMENT) walk([]);
  }
  return lines;
}

function where(name: string, positions: KeyPositions, keyPath: readonly string[]): string {
  const line = positions.lineOf(keyPath);
  return line === undefined ? name : `${name}, line ${line}`;
}

// ─── Schema-driven checks ───────────────────────────────────────────────────────────────

const CONFIG_JSON_SCHEMA: JsonSchema = z.toJSONSchema(configSchema, { io: 'input' });

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asSchema(node: z.core.JSONSchema._JSONSchema | undefined): JsonSchema | undefined {
  return typeof node === 'object' ? node : undefined;
}

function propertiesOf(node: JsonSchema | undefined): Record<string, JsonSchema> {
  const result: Record<string, JsonSchema> = {};
  for (const [key, child] of Object.entries(node?.properties ?? {})) {
    const schema = asSchema(child);
    if (schema) result[key] = schema;
  }
  return result;
}

/** The concrete schemas a node allows (nested `anyOf`s flattened). */
function alternatives(node: JsonSchema): JsonSchema[] {
  return node.anyOf ? node.anyOf.flatMap(alternatives) : [node];
}

/** The schema node of the value at `keyPath`, looking through `anyOf` and into list items. */
function schemaAt(root: JsonSchema, keyPath: readonly PropertyKey[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const segment of keyPath) {
    const options: JsonSchema[] = node ? alternatives(node) : [];
    node = undefined;
    for (const option of options) {
      const next: JsonSchema | undefined =
        typeof segment === 'number'
          ? asSchema(Array.isArray(option.items) ? undefined : option.items)
          : propertiesOf(option)[String(segment)];
      if (next) {
        node = next;
        break;
      }
    }
  }
  return node;
}

/** A section written with nothing under it (`batch_processing:` and only comments) means "all defaults". */
function emptySectionsAsEmpty(raw: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const result: Record<string, unknown> = { ...raw };
  for (const [key, child] of Object.entries(propertiesOf(schema))) {
    if (child.type === 'object' && Object.hasOwn(raw, key) && raw[key] === null) result[key] = {};
  }
  return result;
}

/**
 * The schema of the value at `key` of a mapping, or undefined when the mapping has no such key:
 * one of its properties, or a key of a map such as `prompt_templates` (any key its names allow,
 * each value of one schema).
 */
function childSchema(schema: JsonSchema, known: Record<string, JsonSchema>, key: string): JsonSchema | undefined {
  if (Object.hasOwn(known, key)) return known[key];
  const values = asSchema(schema.additionalProperties);
  const names = asSchema(schema.propertyNames)?.enum;
  return values && (names === undefined || names.includes(key)) ? values : undefined;
}

function unknownKeyWarnings(
  raw: Record<string, unknown>,
  schema: JsonSchema,
  prefix: readonly string[],
  positions: KeyPositions,
  name: string,
): string[] {
  const known = propertiesOf(schema);
  const warnings: string[] = [];
  for (const key of Object.keys(raw)) {
    const keyPath = [...prefix, key];
    const child = childSchema(schema, known, key);
    if (child === undefined) {
      const suggestion = suggestKey(key, prefix.length === 0 ? topLevelCandidates() : Object.keys(known));
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      warnings.push(`${where(name, positions, keyPath)}: unknown key "${keyPath.join('.')}"${hint} — ignored`);
      continue;
    }
    const value = raw[key];
    if (child.type === 'object' && isMapping(value)) {
      warnings.push(...unknownKeyWarnings(value, child, keyPath, positions, name));
    }
  }
  return warnings;
}

/** At the top level a stray setting is likely a key that belongs inside a section. */
function topLevelCandidates(): string[] {
  const sections = propertiesOf(CONFIG_JSON_SCHEMA);
  const nested = Object.entries(sections).flatMap(([section, schema]) =>
    Object.keys(propertiesOf(schema)).map((key) => `${section}.${key}`),
  );
  return [...Object.keys(sections), ...nested];
}

function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Optimal-string-alignment distance: edits, with a swap of two neighbours counting as one. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i];
    if (row === undefined) continue;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known key the user most likely meant: close in spelling, or one containing the other
 * (`max_worker` → `default_max_workers`). Candidates like `section.key` match on their last part.
 */
export function suggestKey(unknown: string, candidates: readonly string[]): string | undefined {
  const wanted = normalizeKey(unknown);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const leaf = normalizeKey(candidate.slice(candidate.lastIndexOf('.') + 1));
    const distance = editDistance(wanted, leaf);
    const close = distance <= Math.max(2, Math.floor(wanted.length / 3));
    const [shorter, longer] = wanted.length <= leaf.length ? [wanted, leaf] : [leaf, wanted];
    const contains = shorter.length >= 4 && shorter.length * 2 >= longer.length && longer.includes(shorter);
    if ((close || contains) && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

// ─── Messages for schema problems ───────────────────────────────────────────────────────

function valueAt(raw: unknown, keyPath: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const segment of keyPath) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isMapping(value) && typeof segment === 'string' && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
}

function formatKeyPath(keyPath: readonly PropertyKey[]): string {
  return keyPath
    .map((segment, i) => {
      if (typeof segment === 'number') return ` item ${segment + 1}`;
      return i === 0 ? String(segment) : `.${String(segment)}`;
    })
    .join('');
}

function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  raw: Record<string, unknown>,
  positions: KeyPositions,
  name: string,
): string[] {
  const seen = new Set<string>();
  const problems: { line: number; message: string }[] = [];
  for (const issue of issues) {
    const keyPath = issue.path;
    const key = formatKeyPath(keyPath);
    if (seen.has(key)) continue;
    seen.add(key);
    const node = schemaAt(CONFIG_JSON_SCHEMA, keyPath);
    const found = valueAt(raw, keyPath);
    const line = positions.lineOf(keyPath.filter((segment): segment is string => typeof segment === 'string'));
    const place = line === undefined ? name : `${name}, line ${line}`;
    const message =
      node === undefined || keyPath.length === 0
        ? `${place}: ${key || 'the file'} is not valid — ${issue.message}`
        : `${place}: ${key} should be ${describeExpected(node, node.default)}, ` +
          `but it is ${describeFound(found)}${hintFor(node, found)}`;
    problems.push({ line: line ?? Number.POSITIVE_INFINITY, message });
  }
  // In file order, so the first problem reported is the first one the reader meets.
  return problems.sort((a, b) => a.line - b.line).map((problem) => problem.message);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

function quoteList(values: readonly unknown[]): string {
  const quoted = values.map((value) => JSON.stringify(value));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}`;
}

function describeNumber(node: JsonSchema, integer: boolean): string {
  const noun = integer ? 'a whole number' : 'a number';
  const excludedLow = typeof node.exclusiveMinimum === 'number' ? node.exclusiveMinimum : undefined;
  const excludedHigh = typeof node.exclusiveMaximum === 'number' ? node.exclusiveMaximum : undefined;
  let low = node.minimum;
  let high = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  let lowExclusive = false;
  let highExclusive = false;
  if (excludedLow !== undefined) {
    if (integer) low = Math.floor(excludedLow) + 1;
    else [low, lowExclusive] = [excludedLow, true];
  }
  if (excludedHigh !== undefined) {
    if (integer) high = Math.ceil(excludedHigh) - 1;
    else [high, highExclusive] = [excludedHigh, true];
  }
  if (low !== undefined && high !== undefined) {
    if (!lowExclusive && !highExclusive) {
      return integer ? `${noun} from ${low} to ${high}` : `${noun} between ${low} and ${high}`;
    }
    const from = lowExclusive ? `greater than ${low}` : `at least ${low}`;
    const to = highExclusive ? `less than ${high}` : `at most ${high}`;
    return `${noun} ${from} and ${to}`;
  }
  if (low !== undefined) return lowExclusive ? `${noun} greater than ${low}` : `${noun} of ${low} or more`;
  if (high !== undefined) return highExclusive ? `${noun} less than ${high}` : `${noun} of ${high} or less`;
  return noun;
}

/** What a key accepts, in words, read off the schema (so both bounds of a range are named). */
function describeExpected(node: JsonSchema, example: unknown): string {
  if (node.anyOf) {
    const allowsEmpty = node.anyOf.some((option) => option.type === 'null');
    const described = node.anyOf
      .filter((option) => option.type !== 'null')
      .map((option) => describeExpected(option, example));
    const joined = described.join(' or ');
    return allowsEmpty ? `${joined}, or null` : joined;
  }
  if (node.enum) return `one of ${quoteList(node.enum)}`;
  switch (node.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return describeNumber(node, true);
    case 'number':
      return describeNumber(node, false);
    case 'string':
      if (node.format === 'uri') {
        return typeof example === 'string' ? `a web address such as ${example}` : 'a web address';
      }
      return node.minLength !== undefined && node.minLength > 0 ? 'text (not empty)' : 'text';
    case 'array': {
      const item = asSchema(Array.isArray(node.items) ? undefined : node.items);
      const itemType = item?.type === 'string' ? 'words' : 'items';
      return `a list of ${itemType}`;
    }
    case 'object':
      return 'a group of settings (indented "key: value" lines)';
    default:
      return 'a valid value';
  }
}

function describeFound(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') {
    if (value === '') return 'empty text ("")';
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan (not a number)';
    if (!Number.isFinite(value)) return value > 0 ? 'infinity' : 'minus infinity';
    return formatNumber(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    return `a list of ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
  }
  if (isMapping(value)) return 'a group of settings';
  return `a ${typeof value}`;
}

/** YAML 1.1 booleans, which YAML 1.2 (and so this loader) reads as text. */
const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n']);

function hintFor(node: JsonSchema, found: unknown): string {
  if (typeof found !== 'string') return '';
  const wantsNumber = node.type === 'number' || node.type === 'integer';
  if (wantsNumber && found.trim() !== '' && Number.isFinite(Number(found))) return ' (remove the quotes)';
  if (node.type === 'boolean' && YAML11_BOOLEANS.has(found.trim().toLowerCase())) return ' (write true or false)';
  return '';
}

/** How to call `file` in messages: relative to `cwd` when it lies inside it. */
function displayName(file: string, cwd: string): string {
  const relative = path.relative(path.resolve(cwd), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
