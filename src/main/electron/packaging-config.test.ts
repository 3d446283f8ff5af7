import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

/**
 * Packaging cannot run here (electron-builder downloads Electron), so its configuration is
 * checked against what the code needs and against electron-builder's own schema.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  electronFuses?: Record<string, unknown>;
  extraMetadata?: { main?: string };
  asarUnpack?: string[];
};
const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};
const mainSource = readFileSync(path.join(ROOT, 'src/main/electron/main.ts'), 'utf8');

describe('electron-builder.yml', () => {
  it('keeps the RunAsNode fuse on, which the built-in processor needs, and turns the code-injection ones off', () => {
    expect(mainSource).toContain("ELECTRON_RUN_AS_NODE: '1'");
    expect(config.electronFuses).toMatchObject({ runAsNode: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
    const known = Object.keys(schema.definitions['FuseOptionsV1']?.properties ?? {});
    expect(known).toContain('runAsNode');
    for (const fuse of Object.keys(config.electronFuses ?? {})) expect(known).toContain(fuse);
  });

  it('starts the built main process and keeps the processor it spawns outside the asar', () => {
    expect(config.extraMetadata?.main).toBe('out/main/electron.js');
    expect(mainSource).toMatch(/path\.join\(here, 'processor\.js'\)/);
    expect(config.asarUnpack).toContain('out/main/**/*');
  });
});
