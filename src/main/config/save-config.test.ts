import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config';
import { editInPlace, saveConfigPatch } from './save-config';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-save-config-'));
  file = path.join(dir, 'altgen', 'config.yaml');
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

const read = () => fs.readFile(file, 'utf8');

describe('saveConfigPatch', () => {
  it('creates the file (and its folder) when there is none, and it loads back', async () => {
    const saved = await saveConfigPatch(file, { model: { name: 'qwen2.5vl', base_url: 'http://127.0.0.1:8080' } });
    expect(saved).toMatchObject({ path: file, rewritten: false, config: { model: { name: 'qwen2.5vl', base_url: 'http://127.0.0.1:8080' } } });
    expect((await loadConfig({ explicit: file })).config.model.name).toBe('qwen2.5vl');
    expect(await read()).toMatch(/^# AltGen settings/);
  });

  it('changes only the values it sets, keeping comments, order, quotes style and unknown keys', async () => {
    const text = [
      '# Lecture settings for the anatomy course',
      'model:',
      '  provider: ollama   # local',
      '  name: "llava"',
      '  timeout_seconds: 240',
      '',
      'future_section:',
      '  something: 1',
      'alt_text:',
      '  policy: preserve',
      '  weak_patterns:',
      '    - "^image\\\\d+$"',
      '# trailing comment',
      '',
    ].join('\n');
    await write(text);
    const saved = await saveConfigPatch(file, { model: { name: 'llava:13b' }, alt_text: { char_limit: 150 }, batch_processing: { default_max_workers: 2 } });
    expect(saved.rewritten).toBe(false);
    const after = await read();
    expect(after).toBe(
      [
        '# Lecture settings for the anatomy course',
        'model:',
        '  provider: ollama   # local',
        '  name: llava:13b',
        '  timeout_seconds: 240',
        '',
        'future_section:',
        '  something: 1',
        'alt_text:',
        '  policy: preserve',
        '  weak_patterns:',
        '    - "^image\\\\d+$"',
        '  char_limit: 150',
        '# trailing comment',
        '',
        'batch_processing:',
        '  default_max_workers: 2',
        '',
      ].join('\n'),
    );
    expect(saved.config).toMatchObject({ model: { name: 'llava:13b', timeout_seconds: 240 }, alt_text: { char_limit: 150, weak_patterns: ['^image\\d+$'] } });
    expect(saved.warnings).toEqual([expect.stringContaining('future_section')]);
  });

  it('rewrites a file it cannot edit in place, keeping the old one as config.yaml.bak', async () => {
    const text = '# flow style\nmodel: {name: llava, provider: ollama}\n';
    await write(text);
    const saved = await saveConfigPatch(file, { model: { name: 'bakllava' } });
    expect(saved.rewritten).toBe(true);
    expect(await fs.readFile(`${file}.bak`, 'utf8')).toBe(text);
    expect((await loadConfig({ explicit: file })).config.model).toMatchObject({ name: 'bakllava', provider: 'ollama' });
    expect(await read()).toContain('config.yaml.bak');
  });

  it('writes model.servers in place on one line, keeping the comments, and replaces that line on the next save', async () => {
    const text = '# My servers\nmodel:\n  name: llava # the lab model\n';
    await write(text);
    const servers = [{ base_url: 'http://gpu-1.example.edu:11434', provider: 'ollama' as const }, { base_url: 'http://127.0.0.1:8000/v1', provider: 'openai' as const, name: 'qwen2.5vl', api_key_env: 'LAB_KEY' }];
    expect((await saveConfigPatch(file, { model: { servers } })).rewritten).toBe(false);
    expect(await read()).toBe(`${text}  servers: [{base_url: http://gpu-1.example.edu:11434, provider: ollama}, {base_url: http://127.0.0.1:8000/v1, provider: openai, name: qwen2.5vl, api_key_env: LAB_KEY}]\n`);
    expect((await loadConfig({ explicit: file })).config.model.servers).toEqual(servers);

    const saved = await saveConfigPatch(file, { model: { servers: [servers[1]!] } });
    expect(saved.rewritten).toBe(false);
    expect(await read()).toBe(`${text}  servers: [{base_url: http://127.0.0.1:8000/v1, provider: openai, name: qwen2.5vl, api_key_env: LAB_KEY}]\n`);
    expect((await saveConfigPatch(file, { model: { servers: [] } })).rewritten).toBe(false);
    expect(await read()).toBe(`${text}  servers: []\n`);
  });

  it('writes nothing when the result would not load, or when the file does not load now', async () => {
    await write('model:\n  name: llava\n');
    await expect(saveConfigPatch(file, { alt_text: { char_limit: 5 } })).rejects.toMatchObject({ code: 'ECONFIG', message: expect.stringContaining('char_limit') });
    expect(await read()).toBe('model:\n  name: llava\n');
    await write('model:\n  name: llava\n  name: twice\n');
    await expect(saveConfigPatch(file, { model: { name: 'x' } })).rejects.toMatchObject({ code: 'ECONFIG', message: expect.stringContaining('Fix or remove the file') });
    expect(await read()).toBe('model:\n  name: llava\n  name: twice\n');
  });
});

describe('editInPlace', () => {
  it('gives up (null) on layouts it does not edit: flow maps, anchors, multi-line values', () => {
    expect(editInPlace('model: {name: a}\n', { model: { name: 'b' } })).toBeNull();
    expect(editInPlace('model: &m\n  name: a\n', { model: { name: 'b' } })).toBeNull();
    expect(editInPlace('model:\n  name: |\n    a\n', { model: { name: 'b' } })).toBeNull();
    expect(editInPlace('- a\n', { model: { name: 'b' } })).toBeNull();
  });

  it('keeps Windows line endings', () => {
    expect(editInPlace('model:\r\n  name: a\r\n', { model: { name: 'b', provider: 'openai' } })).toBe('model:\r\n  name: b\r\n  provider: openai\r\n');
  });
});
