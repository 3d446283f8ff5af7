import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheSchema } from '../../shared/config-schema';
import { DescriptionCache, descriptionCacheKey, type CacheKeyParts } from './description-cache';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

const parts: CacheKeyParts = {
  imageHash: 'ab'.repeat(32),
  providerId: 'ollama:llava:latest',
  promptVersion: 1,
  category: 'anatomical',
  language: 'en',
  charLimit: 125,
};

const entry = { text: 'Anterior view of the brachial plexus.', model: 'ollama:llava:latest', created_at: '2024-05-01T10:00:00.000Z' };

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'altgen-description-cache-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('DescriptionCache', () => {
  it('misses, then hits after set, from one small file under the key’s first two hex digits', async () => {
    const cache = new DescriptionCache({ dir });
    const key = cache.keyFor(parts);
    expect(await cache.get(key)).toBeNull();
    await cache.set(key, entry);
    expect(await cache.get(key)).toEqual(entry);
    expect(await allFiles(dir)).toEqual([path.join(key.slice(0, 2), `${key}.json`)]);
    expect(await new DescriptionCache({ dir }).get(key)).toEqual(entry);
  });

  it('keys by picture, model, prompt version, category, language and limit', () => {
    const base = descriptionCacheKey(parts);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(descriptionCacheKey({ ...parts })).toBe(base);
    const variants: CacheKeyParts[] = [
      { ...parts, imageHash: 'cd'.repeat(32) },
      { ...parts, providerId: 'ollama:llava:13b' },
      { ...parts, providerId: 'openai:llava:latest' },
      { ...parts, promptVersion: 2 },
      { ...parts, category: 'diagnostic' },
      { ...parts, language: 'de' },
      { ...parts, charLimit: 150 },
    ];
    const keys = new Set(variants.map(descriptionCacheKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(base)).toBe(false);
  });

  it('treats a corrupt or foreign file as a miss and replaces it on the next set', async () => {
    const cache = new DescriptionCache({ dir });
    const key = cache.keyFor(parts);
    await cache.set(key, entry);
    const file = cache.pathFor(key);
    for (const damaged of ['{"key":"', '', 'null', JSON.stringify({ ...entry, key: 'f'.repeat(64) }), JSON.stringify({ key, text: '  ', model: 'm', created_at: 'x' })]) {
      await writeFile(file, damaged);
      expect(await cache.get(key)).toBeNull();
    }
    await cache.set(key, entry);
    expect(await cache.get(key)).toEqual(entry);
  });

  it('does nothing when disabled', async () => {
    const cache = DescriptionCache.fromConfig(cacheSchema.parse({ enabled: false, dir }), '/unused');
    const key = cache.keyFor(parts);
    await cache.set(key, entry);
    expect(await cache.get(key)).toBeNull();
    expect(await allFiles(dir)).toEqual([]);
  });

  it('lives in <user data folder>/cache unless cache.dir says otherwise', () => {
    expect(DescriptionCache.fromConfig(cacheSchema.parse({}), '/data/altgen').dir).toBe(path.join('/data/altgen', 'cache'));
    expect(DescriptionCache.fromConfig(cacheSchema.parse({ dir: '/elsewhere' }), '/data/altgen').dir).toBe('/elsewhere');
  });

  it('refuses to store empty text (needs-review results are never cached) and keys that are not keys', async () => {
    const cache = new DescriptionCache({ dir });
    await expect(cache.set(cache.keyFor(parts), { ...entry, text: ' ' })).rejects.toThrow(/non-empty/);
    expect(() => cache.pathFor('../../etc/passwd')).toThrow(/Not a description cache key/);
  });

  it('swallows write errors', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const cache = new DescriptionCache({ dir: blocker });
    const key = cache.keyFor(parts);
    await expect(cache.set(key, entry)).resolves.toBeUndefined();
    expect(await cache.get(key)).toBeNull();
  });

  it('is shared safely by processes writing the same keys at once', async () => {
    const script = path.join(dir, 'writer.mts');
    const moduleUrl = pathToFileURL(path.join(here, 'description-cache.ts')).href;
    await writeFile(
      script,
      [
        `import { readFile } from 'node:fs/promises';`,
        `import { DescriptionCache } from ${JSON.stringify(moduleUrl)};`,
        `const [cacheDir, label] = process.argv.slice(2);`,
        `const cache = new DescriptionCache({ dir: cacheDir });`,
        `const keys = Array.from({ length: 5 }, (_, i) => cache.keyFor({ imageHash: String(i).repeat(64), providerId: 'p', promptVersion: 1, category: 'default', language: 'en', charLimit: 125 }));`,
        `let torn = 0;`,
        `for (let round = 0; round < 150; round++) {`,
        `  for (const key of keys) {`,
        `    await cache.set(key, { text: label + ' wrote round ' + round + ' ' + 'x'.repeat(2000), model: label, created_at: new Date().toISOString() });`,
        `    try { JSON.parse(await readFile(cache.pathFor(key), 'utf8')); } catch { torn++; }`,
        `  }`,
        `}`,
        `process.stdout.write(JSON.stringify({ torn }));`,
      ].join('\n'),
    );
    const runWriter = (label: string): Promise<{ torn: number }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, path.join(dir, 'cache'), label], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as { torn: number }) : reject(new Error(`writer ${label} exited ${code}: ${stderr}`))));
      });
    const results = await Promise.all([runWriter('first'), runWriter('second')]);
    expect(results).toEqual([{ torn: 0 }, { torn: 0 }]);
    const cache = new DescriptionCache({ dir: path.join(dir, 'cache') });
    const files = await allFiles(path.join(dir, 'cache'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toHaveLength(5);
    for (const file of files) {
      const key = path.basename(file, '.json');
      const value = await cache.get(key);
      expect(value?.text).toMatch(/^(first|second) wrote round 149 /);
      expect(JSON.parse(await readFile(path.join(dir, 'cache', file), 'utf8'))).toMatchObject({ key });
    }
  });
});
