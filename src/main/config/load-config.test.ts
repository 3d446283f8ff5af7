import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { ConfigError, findConfigFile, loadConfig, suggestKey, userConfigDir, userDataDir } from './load-config';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let root: string;
let cwd: string;
let userDir: string;
let env: Record<string, string>;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-config-'));
  cwd = path.join(root, 'project');
  userDir = path.join(root, 'user-config');
  await fs.mkdir(cwd);
  await fs.mkdir(userDir);
  env = { ALTGEN_CONFIG_DIR: userDir };
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function write(file: string, text: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
}

/** Writes `text` as config.yaml in the working folder and loads it. */
async function loadText(text: string) {
  await write(path.join(cwd, 'config.yaml'), text);
  return loadConfig({ cwd, env });
}

/** The ConfigError that loading `text` as config.yaml throws. */
async function errorFor(text: string): Promise<ConfigError> {
  const error = await loadText(text).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('userConfigDir', () => {
  it('uses $XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(userConfigDir({ XDG_CONFIG_HOME: '/xdg/config' }, 'linux', '/home/ann')).toBe('/xdg/config/altgen');
    expect(userConfigDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/altgen');
  });

  it('ignores a relative $XDG_CONFIG_HOME, as the XDG spec requires', () => {
    expect(userConfigDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/ann')).toBe('/home/ann/.config/altgen');
  });

  it('uses Application Support on macOS', () => {
    expect(userConfigDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/altgen');
  });

  it('uses %APPDATA% on Windows, else the roaming folder under the home folder', () => {
    expect(userConfigDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\altgen',
    );
    expect(userConfigDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\altgen');
  });

  it('is replaced by $ALTGEN_CONFIG_DIR on every system', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(userConfigDir({ ALTGEN_CONFIG_DIR: '/custom/conf' }, platform, '/home/ann')).toBe('/custom/conf');
    }
  });
});

describe('userDataDir', () => {
  it('uses $XDG_DATA_HOME on Linux, else ~/.local/share', () => {
    expect(userDataDir({ XDG_DATA_HOME: '/xdg/data' }, 'linux', '/home/ann')).toBe('/xdg/data/altgen');
    expect(userDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.local/share/altgen');
  });

  it('shares the Application Support folder with the config on macOS', () => {
    expect(userDataDir({}, 'darwin', '/Users/ann')).toBe(userConfigDir({}, 'darwin', '/Users/ann'));
  });

  it('uses %LOCALAPPDATA% on Windows', () => {
    expect(userDataDir({ LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Local\\altgen',
    );
  });

  it('is replaced by $ALTGEN_DATA_DIR, independently of $ALTGEN_CONFIG_DIR', () => {
    const overrides = { ALTGEN_DATA_DIR: '/custom/data', ALTGEN_CONFIG_DIR: '/custom/conf' };
    expect(userDataDir(overrides, 'linux', '/home/ann')).toBe('/custom/data');
  });
});

describe('findConfigFile', () => {
  it('prefers --config, then the working folder, then the user folder', async () => {
    const explicit = await write(path.join(root, 'elsewhere', 'mine.yaml'), '');
    const inCwd = await write(path.join(cwd, 'config.yaml'), '');
    const inUserDir = await write(path.join(userDir, 'config.yaml'), '');

    expect(await findConfigFile({ explicit, cwd, env })).toBe(explicit);
    expect(await findConfigFile({ cwd, env })).toBe(inCwd);
    await fs.rm(inCwd);
    expect(await findConfigFile({ cwd, env })).toBe(inUserDir);
    await fs.rm(inUserDir);
    expect(await findConfigFile({ cwd, env })).toBeNull();
  });

  it('takes a relative --config path from the working folder', async () => {
    const file = await write(path.join(cwd, 'settings', 'altgen.yaml'), '');
    expect(await findConfigFile({ explicit: 'settings/altgen.yaml', cwd, env })).toBe(file);
  });

  it('refuses a --config file that does not exist instead of using the defaults', async () => {
    await write(path.join(cwd, 'config.yaml'), '');
    const missing = path.join(root, 'missing.yaml');
    await expect(findConfigFile({ explicit: missing, cwd, env })).rejects.toThrow(
      `config file not found: ${missing}`,
    );
    await expect(findConfigFile({ explicit: missing, cwd, env })).rejects.toMatchObject({
      code: 'ECONFIG',
      file: missing,
    });
  });

  it('refuses a --config path that is a folder', async () => {
    await expect(findConfigFile({ explicit: userDir, cwd, env })).rejects.toThrow('is a folder, not a file');
  });

  it('accepts config.yml when there is no config.yaml', async () => {
    const yml = await write(path.join(cwd, 'config.yml'), '');
    expect(await findConfigFile({ cwd, env })).toBe(yml);
  });

  it('skips a folder named config.yaml', async () => {
    await fs.mkdir(path.join(cwd, 'config.yaml'));
    const inUserDir = await write(path.join(userDir, 'config.yaml'), '');
    expect(await findConfigFile({ cwd, env })).toBe(inUserDir);
  });
});

describe('loadConfig', () => {
  it('returns the defaults and no path when there is no config file', async () => {
    const loaded = await loadConfig({ cwd, env });
    expect(loaded).toEqual({ config: DEFAULT_CONFIG, path: null, warnings: [] });
  });

  it('reads the file that findConfigFile picks', async () => {
    await write(path.join(userDir, 'config.yaml'), 'batch_processing:\n  default_max_workers: 2\n');
    expect((await loadConfig({ cwd, env })).config.batch_processing.default_max_workers).toBe(2);

    await write(path.join(cwd, 'config.yaml'), 'batch_processing:\n  default_max_workers: 3\n');
    expect((await loadConfig({ cwd, env })).config.batch_processing.default_max_workers).toBe(3);

    const explicit = await write(path.join(root, 'other.yaml'), 'batch_processing:\n  default_max_workers: 4\n');
    const loaded = await loadConfig({ explicit, cwd, env });
    expect(loaded.config.batch_processing.default_max_workers).toBe(4);
    expect(loaded.path).toBe(explicit);
  });

  it("honours every key of the seed's batch_processing section", async () => {
    const { config } = await loadText(
      [
        'batch_processing:',
        '  default_max_workers: 4',
        '  max_lock_wait_seconds: 12.5',
        '  manifest_retention_days: 90',
        '  progress_update_interval: 10',
        '  stop_on_error_threshold: 0.8',
        '  dry_run_validates_ollama: false',
        '  file_timeout_seconds: 600',
        '  model_wait_minutes: 5',
      ].join('\n'),
    );
    expect(config.batch_processing).toEqual({
      default_max_workers: 4,
      max_lock_wait_seconds: 12.5,
      manifest_retention_days: 90,
      progress_update_interval: 10,
      stop_on_error_threshold: 0.8,
      dry_run_validates_ollama: false,
      file_timeout_seconds: 600,
      model_wait_minutes: 5,
    });
  });

  it('keeps the defaults of every key the file leaves out', async () => {
    const { config } = await loadText('batch_processing:\n  stop_on_error_threshold: 0.8\n');
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      batch_processing: { ...DEFAULT_CONFIG.batch_processing, stop_on_error_threshold: 0.8 },
    });
  });

  it('honours the model and limits sections', async () => {
    const { config } = await loadText(
      [
        'model:',
        '  provider: openai',
        '  base_url: https://models.example.edu/v1',
        '  name: qwen2.5-vl',
        '  api_key_env: SCHOOL_MODEL_KEY',
        '  check_timeout_seconds: 15',
        'limits:',
        '  max_zip_entries: 500',
        '  max_uncompressed_bytes: 1000000',
        '  max_entry_uncompressed_bytes: 200000',
        '  max_compression_ratio: 50',
        '  compression_ratio_grace_bytes: 1048576',
      ].join('\n'),
    );
    expect(config.model).toMatchObject({
      provider: 'openai',
      base_url: 'https://models.example.edu/v1',
      name: 'qwen2.5-vl',
      api_key_env: 'SCHOOL_MODEL_KEY',
      check_timeout_seconds: 15,
    });
    expect(config.limits).toEqual({
      max_zip_entries: 500,
      max_uncompressed_bytes: 1_000_000,
      max_entry_uncompressed_bytes: 200_000,
      max_compression_ratio: 50,
      compression_ratio_grace_bytes: 1_048_576,
    });
  });

  it('accepts processor.command as one line', async () => {
    const { config } = await loadText(
      'processor:\n  command: python "pptx alt processor.py" process {input} --output {output}\n',
    );
    expect(config.processor.command).toBe('python "pptx alt processor.py" process {input} --output {output}');
  });

  it('accepts processor.command as a list of words', async () => {
    const { config } = await loadText(
      'processor:\n  command:\n    - python\n    - pptx_alt_processor.py\n    - process\n    - "{input}"\n',
    );
    expect(config.processor.command).toEqual(['python', 'pptx_alt_processor.py', 'process', '{input}']);
  });

  it('treats an empty file, a comments-only file and an empty section as the defaults', async () => {
    expect((await loadText('')).config).toEqual(DEFAULT_CONFIG);
    expect((await loadText('# nothing set yet\n\n')).config).toEqual(DEFAULT_CONFIG);
    expect((await loadText('---\n')).config).toEqual(DEFAULT_CONFIG);
    const emptySection = await loadText('batch_processing:\n  # default_max_workers: 2\nprocessor:\n');
    expect(emptySection).toMatchObject({ config: DEFAULT_CONFIG, warnings: [] });
  });

  it('reads a file saved with a byte-order mark', async () => {
    const { config } = await loadText('\uFEFFbatch_processing:\n  default_max_workers: 2\n');
    expect(config.batch_processing.default_max_workers).toBe(2);
  });

  describe('refuses a bad batch_processing value, naming the file, line, key, expectation and value', () => {
    const cases = [
      ['default_max_workers', '0', 'a whole number from 1 to 64', 'it is 0'],
      ['default_max_workers', '65', 'a whole number from 1 to 64', 'it is 65'],
      ['default_max_workers', '1.5', 'a whole number from 1 to 64', 'it is 1.5'],
      ['default_max_workers', '"2"', 'a whole number from 1 to 64', 'it is the text "2" (remove the quotes)'],
      ['max_lock_wait_seconds', '-1', 'a number of 0 or more', 'it is -1'],
      ['max_lock_wait_seconds', 'soon', 'a number of 0 or more', 'it is the text "soon"'],
      ['manifest_retention_days', '0', 'a whole number of 1 or more', 'it is 0'],
      ['manifest_retention_days', '7.5', 'a whole number of 1 or more', 'it is 7.5'],
      ['progress_update_interval', '0', 'a whole number of 1 or more', 'it is 0'],
      ['progress_update_interval', '[5]', 'a whole number of 1 or more', 'it is a list of 1 item'],
      ['stop_on_error_threshold', '1.5', 'a number between 0 and 1', 'it is 1.5'],
      ['stop_on_error_threshold', '50', 'a number between 0 and 1', 'it is 50'],
      ['stop_on_error_threshold', '-0.1', 'a number between 0 and 1', 'it is -0.1'],
      ['stop_on_error_threshold', '', 'a number between 0 and 1', 'it is empty'],
      ['dry_run_validates_ollama', 'yes', 'true or false', 'it is the text "yes" (write true or false)'],
      ['dry_run_validates_ollama', '1', 'true or false', 'it is 1'],
      ['file_timeout_seconds', '0', 'a number greater than 0 and at most 86400', 'it is 0'],
      ['file_timeout_seconds', '.inf', 'a number greater than 0 and at most 86400', 'it is infinity'],
      ['file_timeout_seconds', '100000', 'a number greater than 0 and at most 86400', 'it is 100000'],
      ['model_wait_minutes', '-1', 'a number between 0 and 1440', 'it is -1'],
    ] as const;

    it.each(cases)('%s: %s', async (key, value, expected, found) => {
      const error = await errorFor(`# settings\nbatch_processing:\n  ${key}: ${value}\n`);
      expect(error.code).toBe('ECONFIG');
      expect(error.file).toBe(path.join(cwd, 'config.yaml'));
      expect(error.message).toBe(`config.yaml, line 3: batch_processing.${key} should be ${expected}, but ${found}`);
    });
  });

  it('refuses a section that is not a group of settings', async () => {
    const error = await errorFor('batch_processing: 5\n');
    expect(error.message).toBe(
      'config.yaml, line 1: batch_processing should be a group of settings (indented "key: value" lines), but it is 5',
    );
  });

  it('refuses bad model, processor and limits values', async () => {
    expect((await errorFor('model:\n  provider: gpt\n')).message).toBe(
      'config.yaml, line 2: model.provider should be one of "ollama", "openai" or "offline", but it is the text "gpt"',
    );
    expect((await errorFor('model:\n  base_url: localhost\n')).message).toContain(
      'model.base_url should be a web address such as http://127.0.0.1:11434',
    );
    expect((await errorFor('processor:\n  command: 5\n')).message).toBe(
      'config.yaml, line 2: processor.command should be text (not empty) or a list of words, or null, but it is 5',
    );
    expect((await errorFor('processor:\n  command: [python, ""]\n')).message).toBe(
      'config.yaml, line 2: processor.command item 2 should be text (not empty), but it is empty text ("")',
    );
    expect((await errorFor('limits:\n  max_zip_entries: 0\n')).message).toBe(
      'config.yaml, line 2: limits.max_zip_entries should be a whole number of 1 or more, but it is 0',
    );
  });

  it('reports the first problem in the file and counts the others', async () => {
    const error = await errorFor(
      [
        'batch_processing:',
        '  default_max_workers: 0',
        '  stop_on_error_threshold: 2',
        'model:',
        '  provider: gpt',
      ].join('\n'),
    );
    expect(error.message).toBe(
      'config.yaml, line 2: batch_processing.default_max_workers should be a whole number from 1 to 64, but it is 0 (and 2 more problems)',
    );
    expect(error.problems).toHaveLength(3);
    expect(error.problems[2]).toContain('line 5: model.provider');
  });

  it('reports a problem once even when several rules are broken', async () => {
    const error = await errorFor('batch_processing:\n  default_max_workers: -1.5\n');
    expect(error.message).not.toContain('more problem');
  });

  it('names the file by its full path when it is outside the working folder', async () => {
    const file = await write(path.join(userDir, 'config.yaml'), 'batch_processing:\n  stop_on_error_threshold: 2\n');
    await expect(loadConfig({ cwd, env })).rejects.toThrow(`${file}, line 2: batch_processing.stop_on_error_threshold`);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const error = await errorFor('batch_processing:\n  default_max_workers: 2\n   stop_on_error_threshold: 0.5\n');
    expect(error.message).toMatch(/^config\.yaml, line 3, column \d+: not valid YAML — /);
    expect(error.message).not.toContain('\n');
  });

  it('reports an unclosed bracket and a repeated key as YAML errors', async () => {
    expect((await errorFor('processor:\n  command: [python, x\n')).message).toMatch(
      /^config\.yaml, line \d+, column \d+: not valid YAML — /,
    );
    expect((await errorFor('model:\n  name: a\n  name: b\n')).message).toBe(
      'config.yaml, line 3, column 3: not valid YAML — the same key appears twice',
    );
  });

  it('refuses code-running YAML tags (the file is loaded safely)', async () => {
    const error = await errorFor('processor:\n  command: !!js/function "function () { return 1 }"\n');
    expect(error.message).toBe(
      'config.yaml, line 2, column 12: the YAML tag !!js/function is not allowed (settings are plain values)',
    );
    expect((await errorFor('model: !!python/object:os.system [ls]\n')).message).toContain(
      'the YAML tag !!python/object:os.system is not allowed',
    );
  });

  it('refuses a file whose top level is a list or a single value', async () => {
    expect((await errorFor('- batch_processing\n- model\n')).message).toBe(
      'config.yaml: the file should hold settings as "key: value" lines, but it holds a list of 2 items',
    );
    expect((await errorFor('just some text\n')).message).toBe(
      'config.yaml: the file should hold settings as "key: value" lines, but it holds the text "just some text"',
    );
  });

  it('refuses a file with several YAML documents', async () => {
    expect((await errorFor('model:\n  name: a\n---\nmodel:\n  name: b\n')).message).toContain(
      'the file holds 2 YAML documents',
    );
  });

  it('refuses a file far too large to be a config', async () => {
    const error = await errorFor(`# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect(error.message).toContain('too large for a config file');
  });

  it('warns about unknown keys at any level, with a suggestion, and ignores them', async () => {
    const { config, warnings } = await loadText(
      [
        'batch_processing:',
        '  max_worker: 3',
        '  stop_on_eror_threshold: 0.9',
        'modle:',
        '  name: bakllava',
        'default_max_workers: 2',
        'colour: blue',
      ].join('\n'),
    );
    expect(warnings).toEqual([
      'config.yaml, line 2: unknown key "batch_processing.max_worker" (did you mean "default_max_workers"?) — ignored',
      'config.yaml, line 3: unknown key "batch_processing.stop_on_eror_threshold" (did you mean "stop_on_error_threshold"?) — ignored',
      'config.yaml, line 4: unknown key "modle" (did you mean "model"?) — ignored',
      'config.yaml, line 6: unknown key "default_max_workers" (did you mean "batch_processing.default_max_workers"?) — ignored',
      'config.yaml, line 7: unknown key "colour" — ignored',
    ]);
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it('knows the keys of a map such as prompt_templates: no warning for its categories', async () => {
    const { config, warnings } = await loadText('alt_text:\n  prompt_templates:\n    anatomical: Name every labelled structure, top to bottom.\n');
    expect(warnings).toEqual([]);
    expect(config.alt_text.prompt_templates).toEqual({ anatomical: 'Name every labelled structure, top to bottom.' });
  });

  it('does not let a __proto__ key reach the config', async () => {
    const { config, warnings } = await loadText('__proto__:\n  polluted: true\nbatch_processing:\n  __proto__: {}\n');
    expect(warnings).toHaveLength(2);
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('warns that config.yml is ignored when config.yaml is beside it', async () => {
    await write(path.join(cwd, 'config.yml'), 'batch_processing:\n  default_max_workers: 9\n');
    const { config, warnings, path: used } = await loadText('batch_processing:\n  default_max_workers: 2\n');
    expect(used).toBe(path.join(cwd, 'config.yaml'));
    expect(config.batch_processing.default_max_workers).toBe(2);
    expect(warnings).toEqual([`${path.join(cwd, 'config.yml')} is ignored because config.yaml is in the same folder`]);
  });
});

describe('suggestKey', () => {
  it('suggests close spellings and keys that contain the typed one', () => {
    const keys = ['default_max_workers', 'max_lock_wait_seconds', 'file_timeout_seconds'];
    expect(suggestKey('max_worker', keys)).toBe('default_max_workers');
    expect(suggestKey('Default-Max-Workers', keys)).toBe('default_max_workers');
    expect(suggestKey('file_timout_seconds', keys)).toBe('file_timeout_seconds');
    expect(suggestKey('colour', keys)).toBeUndefined();
  });
});

describe('examples/config.yaml, docs/configuration.md and the README reference', () => {
  const examplePath = path.join(REPO_ROOT, 'examples', 'config.yaml');
  const docsPath = path.join(REPO_ROOT, 'docs', 'configuration.md');
  const readmePath = path.join(REPO_ROOT, 'README.md');
  const schemaKeys = Object.entries(DEFAULT_CONFIG).flatMap(([section, values]) =>
    Object.entries(values).map(([key, fallback]) => ({ section, key, fallback: fallback as unknown })),
  );

  it('the example loads without warnings and equals the defaults', async () => {
    const loaded = await loadConfig({ explicit: examplePath, cwd, env });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
  });

  it('the example sets every key, so it shows the whole schema', async () => {
    const raw = load(await fs.readFile(examplePath, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const { section, key } of schemaKeys) {
      expect(Object.hasOwn(raw[section] ?? {}, key), `${section}.${key}`).toBe(true);
    }
  });

  it("the example's commented-out processor commands are valid when uncommented", async () => {
    const text = await fs.readFile(examplePath, 'utf8');
    const commented = [...text.matchAll(/^\s*#\s+command: (.+)$/gm)].map((match) => match[1] ?? '');
    expect(commented).toHaveLength(2);
    for (const command of commented) {
      const { config } = await loadText(`processor:\n  command: ${command}\n`);
      expect(config.processor.command).not.toBeNull();
    }
  });

  it("the README's configuration reference documents every key of the schema with its default", async () => {
    const readme = await fs.readFile(readmePath, 'utf8');
    const docs = readme.slice(readme.indexOf('## Configuration reference'));
    for (const { section, key, fallback } of schemaKeys) {
      const start = docs.indexOf(`### \`${section}\``);
      expect(start, `section ${section}`).toBeGreaterThan(-1);
      const end = docs.slice(start + 1).search(/\n##/);
      const sectionText = docs.slice(start, end === -1 ? undefined : start + 1 + end);
      const row = sectionText.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, `${section}.${key}`).toBeDefined();
      const defaultCell = row?.split(' | ')[2] ?? '';
      const documentedDefault = /`([^`]*)`/.exec(defaultCell)?.[1] ?? '';
      expect(load(documentedDefault), `default of ${section}.${key}`).toEqual(fallback);
    }
  });

  it('the complete example in the reference is examples/config.yaml', async () => {
    const docs = await fs.readFile(docsPath, 'utf8');
    const example = await fs.readFile(examplePath, 'utf8');
    const block = /## Complete example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(block).toBe(example);
  });
});
