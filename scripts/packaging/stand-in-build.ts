import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dump, load } from 'js-yaml';

/**
 * Builds the app's Linux `--dir` layout (dist/linux-unpacked) with electron-builder, as
 * `npm run dist` would, but against a stand-in Electron distribution: a folder holding a small
 * "electron" script instead of the real binary, which cannot be downloaded everywhere.
 *
 * What it guarantees: the layout electron-builder writes (app.asar, app.asar.unpacked, the
 * files, asarUnpack and extraMetadata rules of the given configuration) is the one a real build
 * writes for the same configuration; nothing is downloaded (the stand-in replaces Electron, no
 * dependency is rebuilt, nothing is published); all output is under `workDir`.
 *
 * What it does not do: flip Electron fuses (that needs the real binary, so `electronFuses` is
 * left out), sign, or make installers (AppImage, deb, NSIS, dmg).
 */

export interface StandInBuild {
  /** The resources folder of dist/linux-unpacked (the app as an installer lays it out): app.asar and app.asar.unpacked. */
  readonly resourcesDir: string;
}

export class StandInBuildError extends Error {
  override readonly name = 'StandInBuildError';
  readonly code = 'EBUILD';
}

const STAND_IN_ELECTRON = `#!/bin/sh
echo "This is a stand-in for the Electron binary, made by the packaging check (npm run dist:check)." >&2
exit 1
`;

/** electron-builder's names for Node's process.arch values. */
const BUILDER_ARCH: Readonly<Record<string, string>> = { x64: 'x64', arm64: 'arm64', ia32: 'ia32', arm: 'armv7l' };

/** The packaging configuration as the check builds it: the given file, without fuses, offline, output under `workDir`. */
export async function standInConfig(configFile: string, workDir: string): Promise<Record<string, unknown>> {
  const loaded: unknown = load(await readFile(configFile, 'utf8'));
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
    throw new StandInBuildError(`${configFile} is not an electron-builder configuration (a YAML mapping).`);
  }
  const config: Record<string, unknown> = { ...(loaded as Record<string, unknown>) };
  delete config['electronFuses'];
  const directories = typeof config['directories'] === 'object' && config['directories'] !== null ? config['directories'] : {};
  return {
    ...config,
    directories: { ...directories, output: path.join(workDir, 'dist') },
    electronDist: path.join(workDir, 'electron-dist'),
    npmRebuild: false,
    publish: null,
  };
}

export async function buildWithStandInElectron(options: {
  readonly projectDir: string;
  readonly configFile: string;
  readonly workDir: string;
}): Promise<StandInBuild> {
  const { projectDir, configFile, workDir } = options;
  const arch = BUILDER_ARCH[process.arch];
  if (!arch) throw new StandInBuildError(`electron-builder cannot package for this processor (${process.arch}).`);
  const electronDist = path.join(workDir, 'electron-dist');
  await mkdir(electronDist, { recursive: true });
  await writeFile(path.join(electronDist, 'electron'), STAND_IN_ELECTRON);
  await chmod(path.join(electronDist, 'electron'), 0o755);
  const config = await standInConfig(configFile, workDir);
  const builtConfig = path.join(workDir, 'electron-builder.yml');
  await writeFile(builtConfig, dump(config));

  let cli: string;
  try {
    cli = createRequire(path.join(projectDir, 'package.json')).resolve('electron-builder/cli.js');
  } catch {
    throw new StandInBuildError('electron-builder is not installed here; run `npm install` first.');
  }
  const args = [cli, '--dir', '--linux', `--${arch}`, '--projectDir', projectDir, '--config', builtConfig, '--publish', 'never'];
  const { code, output } = await run(process.execPath, args, projectDir);
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    throw new StandInBuildError(`electron-builder could not build the package (exit ${code}):\n${tail}`);
  }
  return { resourcesDir: path.join(workDir, 'dist', arch === 'x64' ? 'linux-unpacked' : `linux-${arch}-unpacked`, 'resources') };
}

function run(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}
