/**
 * Saves settings changed in the app into a `config.yaml`.
 *
 * Guarantees: nothing is written unless the whole resulting file passes the same checks as
 * loading it ({@link parseConfigText}), so a saved file always loads; a file that does not
 * load as it is now is refused, not overwritten; the file is replaced atomically (temp file,
 * fsync, rename), so a crash leaves the old or the new file, never half of one. Keys the patch
 * does not name, unknown keys included, keep their values.
 *
 * Layout: when the changed keys are plain one-line values in block-style sections (the layout
 * of examples/config.yaml), only those values are replaced and missing keys are added at the
 * end of their section, so comments and order stay. Any other layout (flow style, anchors,
 * multi-line values) is rewritten whole by js-yaml, which drops comments: the previous file is
 * then kept beside it as `config.yaml.bak`. Every in-place edit is checked by reading it back;
 * one that does not read back as intended falls back to the rewrite.
 *
 * Not guaranteed: exclusion between two processes saving at the same moment (the last one wins).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE, dump, getScalarValue, loadAll, parseEvents } from 'js-yaml';
import type { Event as YamlEvent, ScalarEvent } from 'js-yaml';
import type { AltgenConfig } from '../../shared/config-schema';
import { writeFileAtomic } from '../files/write-file-atomic';
import { ConfigError, parseConfigText } from './load-config';

export type ConfigPatch = {
  readonly [S in keyof AltgenConfig]?: { readonly [K in keyof AltgenConfig[S]]?: AltgenConfig[S][K] };
};

export interface SavedConfig {
  readonly config: AltgenConfig;
  readonly path: string;
  readonly warnings: readonly string[];
  /** True when the file was rewritten whole (comments dropped; the old file is in `.bak`). */
  readonly rewritten: boolean;
}

const MAX_CONFIG_BYTES = 1024 * 1024;
const NEW_FILE_HEADER = '# AltGen settings (saved by the app). Every key is described in docs/configuration.md.\n';
const REWRITE_HEADER = '# AltGen settings, rewritten by the app: the comments of the previous version are in config.yaml.bak.\n';

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The patch's defined values, section by section. */
function patchEntries(patch: ConfigPatch): [string, [string, unknown][]][] {
  return Object.entries(patch)
    .filter((entry): entry is [string, Mapping] => isMapping(entry[1]))
    .map(([section, values]): [string, [string, unknown][]] => [section, Object.entries(values).filter(([, v]) => v !== undefined)])
    .filter(([, values]) => values.length > 0);
}

export function mergePatch(raw: Mapping, patch: ConfigPatch): Mapping {
  const merged: Mapping = { ...raw };
  for (const [section, values] of patchEntries(patch)) {
    const existing = merged[section];
    merged[section] = { ...(isMapping(existing) ? existing : {}), ...Object.fromEntries(values) };
  }
  return merged;
}

/** The document's value; null for an empty file (js-yaml's `load` refuses those). */
function readYaml(text: string): unknown {
  return loadAll(text)[0] ?? null;
}

async function readExisting(file: string): Promise<string | null> {
  try {
    const info = await fs.stat(file);
    if (info.size > MAX_CONFIG_BYTES) throw new ConfigError(`${file}: the file is too large for a config file; settings were not saved`, file);
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`${file}: could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); settings were not saved`, file);
  }
}

export async function saveConfigPatch(file: string, patch: ConfigPatch): Promise<SavedConfig> {
  const existing = await readExisting(file);
  const text = existing ?? '';
  try {
    parseConfigText(text, file);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`${error.message}. Fix or remove the file, then save the settings again.`, file, error.problems);
    }
    throw error;
  }
  const loaded = readYaml(text);
  const expected = mergePatch(isMapping(loaded) ? loaded : {}, patch);
  const edited = editInPlace(text, patch);
  const keepsLayout = edited !== null && isDeepStrictEqual(readYaml(edited), expected);
  const header = existing === null ? NEW_FILE_HEADER : REWRITE_HEADER;
  const next = keepsLayout ? `${existing === null ? NEW_FILE_HEADER : ''}${edited}` : `${header}${dump(expected, { lineWidth: -1, noRefs: true })}`;
  const { config, warnings } = parseConfigText(next, file);
  await fs.mkdir(path.dirname(file), { recursive: true });
  if (!keepsLayout && existing !== null) await writeFileAtomic(`${file}.bak`, existing);
  await writeFileAtomic(file, next);
  return { config, path: file, warnings, rewritten: !keepsLayout && existing !== null };
}

// ─── In-place editing through js-yaml's event stream (which carries source offsets) ─────

interface Pair {
  readonly key: string;
  readonly keyEvent: ScalarEvent;
  /** Index of the value's first event. */
  readonly value: number;
}

interface Edit {
  readonly at: number;
  readonly end: number;
  readonly text: string;
}

/** Index just past the node starting at `index`. */
function skipNode(events: readonly YamlEvent[], index: number): number {
  const event = events[index];
  if (event?.type !== EVENT_ID.MAPPING && event?.type !== EVENT_ID.SEQUENCE) return index + 1;
  let next = index + 1;
  while (next < events.length && events[next]?.type !== EVENT_ID.POP) next = skipNode(events, next);
  return next + 1;
}

/** The pairs of the block mapping at `index`, or null if it is not one with plain scalar keys. */
function blockPairs(text: string, events: readonly YamlEvent[], index: number): Pair[] | null {
  const mapping = events[index];
  if (mapping?.type !== EVENT_ID.MAPPING || mapping.style !== COLLECTION_STYLE.BLOCK || mapping.anchorStart >= 0) return null;
  const pairs: Pair[] = [];
  let next = index + 1;
  while (next < events.length && events[next]?.type !== EVENT_ID.POP) {
    const key = events[next];
    if (key?.type !== EVENT_ID.SCALAR || key.valueStart < 0 || key.style !== SCALAR_STYLE.PLAIN) return null;
    pairs.push({ key: getScalarValue(text, key), keyEvent: key, value: next + 1 });
    next = skipNode(events, next + 1);
  }
  return pairs;
}

/** The source range of a one-line scalar value, quotes included; null for anything else. */
function scalarRange(text: string, event: YamlEvent | undefined): { start: number; end: number } | null {
  if (event?.type !== EVENT_ID.SCALAR || event.valueStart < 0 || event.anchorStart >= 0 || event.tagStart >= 0) return null;
  let { valueStart: start, valueEnd: end } = event;
  if (event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED) {
    start -= 1;
    end += 1;
  } else if (event.style !== SCALAR_STYLE.PLAIN) {
    return null;
  }
  return text.slice(start, end).includes('\n') ? null : { start, end };
}

/** A value on one line: a scalar, or a list (`model.servers`) in flow style. */
function renderScalar(value: unknown): string | null {
  const rendered = dump(value, { lineWidth: -1, flowLevel: 0 }).trimEnd();
  return rendered.includes('\n') ? null : rendered;
}

/**
 * The source range of a one-line flow-style list or mapping value (`servers: [...]`), brackets
 * included; null for anything else. Its end is the first closing bracket past its last scalar;
 * the caller reads every edit back, so a range found wrong falls back to the rewrite.
 */
function flowRange(text: string, events: readonly YamlEvent[], index: number): { start: number; end: number } | null {
  const event = events[index];
  if ((event?.type !== EVENT_ID.SEQUENCE && event?.type !== EVENT_ID.MAPPING) || event.style !== COLLECTION_STYLE.FLOW) return null;
  if (event.anchorStart >= 0 || event.tagStart >= 0) return null;
  const close = text.indexOf(event.type === EVENT_ID.SEQUENCE ? ']' : '}', furthestOffset(events, index + 1, skipNode(events, index), event.start));
  if (close < 0 || text.slice(event.start, close).includes('\n')) return null;
  return { start: event.start, end: close + 1 };
}

/** Where the line holding `offset` ends (just past its newline). */
function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The furthest source offset inside the nodes between `from` and `to`. */
function furthestOffset(events: readonly YamlEvent[], from: number, to: number, floor: number): number {
  let furthest = floor;
  for (let i = from; i < to; i += 1) {
    const event = events[i];
    if (event?.type === EVENT_ID.SCALAR && event.valueEnd > furthest) furthest = event.valueEnd;
  }
  return furthest;
}

/** The text with the patch applied in place, or null when the layout is not one we edit in place. */
export function editInPlace(text: string, patch: ConfigPatch): string | null {
  let events: YamlEvent[];
  try {
    events = parseEvents(text, {});
  } catch {
    return null;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const documentAt = events.findIndex((event) => event.type === EVENT_ID.DOCUMENT);
  const root = documentAt < 0 ? undefined : events[documentAt + 1];
  const emptyDocument = root === undefined || (root.type === EVENT_ID.SCALAR && root.valueStart < 0);
  const sections = emptyDocument ? [] : blockPairs(text, events, documentAt + 1);
  if (sections === null) return null;
  const edits: Edit[] = [];
  let appended = '';
  for (const [sectionName, values] of patchEntries(patch)) {
    const section = sections.find((pair) => pair.key === sectionName);
    if (!section) {
      const lines: string[] = [];
      for (const [key, value] of values) {
        const rendered = renderScalar(value);
        if (rendered === null) return null;
        lines.push(`  ${key}: ${rendered}`);
      }
      appended += `${sectionName}:${eol}${lines.join(eol)}${eol}`;
      continue;
    }
    const pairs = blockPairs(text, events, section.value);
    if (pairs === null || pairs.length === 0) return null;
    const firstKey = pairs[0]?.keyEvent;
    if (!firstKey) return null;
    const indent = ' '.repeat(columnOf(text, firstKey.valueStart));
    const sectionEnd = skipNode(events, section.value);
    const insertAt = lineEndAfter(text, furthestOffset(events, section.value, sectionEnd, firstKey.valueEnd));
    const added: string[] = [];
    for (const [key, value] of values) {
      const rendered = renderScalar(value);
      if (rendered === null) return null;
      const pair = pairs.find((candidate) => candidate.key === key);
      if (!pair) {
        added.push(`${indent}${key}: ${rendered}${eol}`);
        continue;
      }
      const range = scalarRange(text, events[pair.value]) ?? flowRange(text, events, pair.value);
      if (range === null) return null;
      edits.push({ at: range.start, end: range.end, text: rendered });
    }
    if (added.length > 0) {
      const needsNewline = insertAt === text.length && text.length > 0 && !text.endsWith('\n');
      edits.push({ at: insertAt, end: insertAt, text: `${needsNewline ? eol : ''}${added.join('')}` });
    }
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.at - a.at || b.end - a.end)) {
    result = result.slice(0, edit.at) + edit.text + result.slice(edit.end);
  }
  if (appended) {
    // A new section starts after a blank line, as sections do in examples/config.yaml.
    const separator = result.length === 0 || result.endsWith(`${eol}${eol}`) ? '' : result.endsWith('\n') ? eol : `${eol}${eol}`;
    result += `${separator}${appended}`;
  }
  return result;
}
