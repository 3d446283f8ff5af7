import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../shared/config-schema';
import { loadConfig } from '../config/load-config';
import { RunFolder } from './run-folder';

describe('RunFolder', () => {
  it('writes the settings the runner resolved so that the processor reads back exactly them, and removes it all at the end', async () => {
    const config = configSchema.parse({
      processor: { command: ['python3', 'tool.py', '{input}', '{output}', '--config', '{config}'] },
      model: { provider: 'openai', base_url: 'http://127.0.0.1:8080/v1', name: 'qwen2.5vl:7b', api_key_env: 'OPENAI_API_KEY' },
      alt_text: {
        weak_patterns: ['^slide \\d+$', 'Abbildung "\\w+"', '#not a comment', 'null', 'yes'],
        course: 'Année 1 — anatomie: « cœur »\nand a second line',
        prompt_templates: { anatomical: 'Describe the structures: {labels}\n- keep it short' },
        language: 'fr-CA',
      },
      cache: { dir: '/tmp/a cache: with colon' },
      limits: { max_uncompressed_bytes: 4 * 1024 ** 3 + 1 },
    });
    const folder = await RunFolder.create(config, '/home/me/odd\nname/config.yaml');
    const text = await fs.readFile(folder.settingsFile, 'utf8');
    expect(text.split('\n')[0]).toBe('# The settings of one AltGen batch run, resolved from /home/me/odd name/config.yaml; removed when the run ends.');
    const loaded = await loadConfig({ explicit: folder.settingsFile, cwd: '/', env: {} });
    expect(loaded).toEqual({ config, path: folder.settingsFile, warnings: [] });
    expect((await fs.stat(folder.modelFailuresDir)).isDirectory()).toBe(true);
    await folder.remove();
    await expect(fs.access(path.dirname(folder.settingsFile))).rejects.toThrow();
  });

  it('says when the settings are the defaults', async () => {
    const folder = await RunFolder.create(configSchema.parse({}), null);
    expect(await fs.readFile(folder.settingsFile, 'utf8')).toMatch(/^# The settings of one AltGen batch run, resolved from the defaults \(no config file was in use\)/);
    await folder.remove();
  });
});
