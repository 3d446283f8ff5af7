import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CacheConfig } from '../../shared/config-schema';

/**
 * Descriptions already written, so that the same logo on forty slides and in twelve decks
 * costs one model call and re-running a finished deck costs none.
 *
 * The key is the picture (hash of its original bytes), the provider and model, the prompt
 * version, the category, the language and the character limit — not the slide context, so a
 * picture is described once whatever slide it is on. Only usable text is stored: the caller
 * never caches a "needs review" result, and `set` refuses empty text.
 *
 * Storage: one small JSON file per key at `<dir>/<first 2 hex>/<key>.json`, written to a
 * unique temp name in the same folder and renamed over the target, so any number of processor
 * processes can share the folder: a reader sees the old file, the new one, or none — never a
 * half-written one. Two writers of the same key both write a valid file; the last rename wins.
 *
 * Not guaranteed: durability across a power cut (no fsync; a damaged file is read as a miss
 * and replaced on the next write), and no size limit or eviction (files are a few hundred bytes).
 * Errors while reading or writing are swallowed: a cache problem never fails a picture.
 */

export interface CacheKeyParts {
  /** sha256 hex of the picture's original bytes (`imageHash`). */
  readonly imageHash: string;
  /** `ModelProvider.id`, e.g. `ollama:llava:latest`. */
  readonly providerId: string;
  readonly promptVersion: number;
  readonly category: string;
  readonly language: string;
  readonly charLimit: number;
}

export interface CachedDescription {
  readonly text: string;
  /** The provider id that wrote it. */
  readonly model: string;
  /** ISO 8601 time it was written. */
  readonly created_at: string;
}

const KEY_FORMAT_VERSION = 1;
const KEY_PATTERN = /^[0-9a-f]{64}$/;

export function descriptionCacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify([
    KEY_FORMAT_VERSION,
    parts.imageHash.toLowerCase(),
    parts.providerId,
    parts.promptVersion,
    parts.category,
    parts.language.toLowerCase(),
    parts.charLimit,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function isCachedDescription(value: unknown): value is CachedDescription {
  const record = value as Partial<CachedDescription> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.text === 'string' &&
    record.text.trim() !== '' &&
    typeof record.model === 'string' &&
    typeof record.created_at === 'string'
  );
}

export class DescriptionCache {
  readonly dir: string;
  readonly enabled: boolean;

  constructor(options: { readonly dir: string; readonly enabled?: boolean }) {
    this.dir = options.dir;
    this.enabled = options.enabled ?? true;
  }

  /** From the `cache` config section; `dir: null` means `<user data folder>/cache`. */
  static fromConfig(config: CacheConfig, userDataDir: string): DescriptionCache {
    return new DescriptionCache({ dir: config.dir ?? path.join(userDataDir, 'cache'), enabled: config.enabled });
  }

  keyFor(parts: CacheKeyParts): string {
    return descriptionCacheKey(parts);
  }

  pathFor(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`Not a description cache key: ${JSON.stringify(key)}`);
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedDescription | null> {
    if (!this.enabled) return null;
    const file = this.pathFor(key);
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      return null;
    }
    if (!isCachedDescription(value) || (value as { key?: unknown }).key !== key) return null;
    return { text: value.text, model: value.model, created_at: value.created_at };
  }

  async set(key: string, value: CachedDescription): Promise<void> {
    if (!this.enabled) return;
    if (!isCachedDescription(value)) throw new Error('Only a non-empty description can be cached.');
    const file = this.pathFor(key);
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const body = `${JSON.stringify({ key, text: value.text, model: value.model, created_at: value.created_at })}\n`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, body, 'utf8');
      await rename(temp, file);
    } catch {
      // Best effort (a full disk, a read-only folder, Windows refusing to replace an open
      // file): the description is still used, only not remembered.
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}
