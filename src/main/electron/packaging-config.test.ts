import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

/**
 * The configuration checked against what the code needs and against electron-builder's own
 * schema. The package it builds is checked for real in scripts/packaging/dist-check.test.ts
 * (`npm run dist:check`: a `--dir` build with a stand-in Electron).
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

  it('starts the built main process and starts the processor from outside the asar', () => {
    expect(config.extraMetadata?.main).toBe('out/main/electron.js');
    expect(mainSource).toMatch(/outsideAsar\(path\.join\(here, 'processor\.js'\)\)/);
    // package.json makes out/main/*.js ES modules for the processor, which reads it from app.asar.unpacked.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['out/main/**/*', 'package.json']));
  });

  it("unpacks sharp and its libvips, as sharp's installation guide asks", () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/sharp/**/*', '**/node_modules/@img/**/*']));
  });
});
