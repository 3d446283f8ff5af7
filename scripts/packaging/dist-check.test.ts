import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDistCheck } from './dist-check';

/**
 * The packaging check for real: electron-builder builds the Linux `--dir` layout against a
 * stand-in Electron, and the packaged processor runs from app.asar.unpacked. It needs the
 * built app (`npm install` builds it) and electron-builder; each run takes a few seconds of
 * CPU (tens of seconds on a busy machine).
 */
const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = path.join(PROJECT, 'scripts/packaging/dist-check.ts');
const TSX_LOADER = pathToFileURL(path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs')).href;
const CHECK_TIMEOUT_MS = 600_000;

function electronBuilderInstalled(): boolean {
  try {
    createRequire(path.join(PROJECT, 'package.json')).resolve('electron-builder/cli.js');
    return true;
  } catch {
    return false;
  }
}

/** `unshare` arguments that run a command with no network at all, where this system allows it. */
function withoutNetwork(): string[] | null {
  for (const flags of [['-n'], ['-rn']]) {
    if (spawnSync('unshare', [...flags, 'true'], { stdio: 'ignore' }).status === 0) return flags;
  }
  return null;
}

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const node = [process.execPath, '--import', TSX_LOADER, SCRIPT, ...args];
  const unshare = withoutNetwork();
  const [command, ...rest] = unshare ? ['unshare', ...unshare, ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? process.execPath, rest, { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let workDir: string;
beforeEach(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'dist-check-test-'));
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!electronBuilderInstalled() || process.platform !== 'linux')('npm run dist:check', () => {
  it(
    'passes for electron-builder.yml, offline where the system can cut the network, and runs the packaged processor with sharp and OCR',
    async () => {
      expect(existsSync(path.join(PROJECT, 'out/main/processor.js')), 'the app is built (npm install builds it)').toBe(true);
      const { code, stdout, stderr } = await runCli([]);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toContain('✓ Layout: every needed file is in place');
      expect(stdout).toMatch(/✓ The packaged processor, run from app\.asar\.unpacked with plain Node .* read the labelled diagram: ".*Right atrium/);
      expect(stdout).toMatch(/^Package: \d+\.\d MB \(app\.asar \d+\.\d MB, \d+ files; app\.asar\.unpacked \d+\.\d MB, \d+ files\)$/m);
      expect(stdout).toContain('Packaging check passed.');
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    "fails when sharp's asarUnpack lines are removed: libvips stays in app.asar and the processor cannot load sharp",
    async () => {
      const config = (await readFile(path.join(PROJECT, 'electron-builder.yml'), 'utf8')).split('\n');
      const withoutSharp = config.filter((line) => !/node_modules\/(sharp|@img)\/\*\*/.test(line));
      expect(config.length - withoutSharp.length).toBe(2);
      const configFile = path.join(workDir, 'electron-builder.yml');
      await writeFile(configFile, withoutSharp.join('\n'));

      const report = await runDistCheck({ projectDir: PROJECT, configFile, workDir });

      const packed = report.problems.flatMap((problem) => (problem.code === 'EPACKED' ? [problem] : []));
      expect(packed).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/^node_modules\/@img\/sharp-libvips-[^/]+\/lib\/libvips-cpp\.so/), reason: 'native' }));
      expect(packed).toContainEqual(expect.objectContaining({ file: 'node_modules/sharp/package.json', reason: 'child-process' }));
      expect(report.processorRun).toEqual({ ok: false, reason: expect.stringContaining("Cannot find package 'sharp'") });
    },
    CHECK_TIMEOUT_MS,
  );
});
