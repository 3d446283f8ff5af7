import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { electronInstalled, electronPackageDir, fetchElectron } from './start-app';

/**
 * `npm start` on a machine where Electron's binary was never downloaded: Electron's own
 * installer, run against a loopback mirror (ELECTRON_MIRROR, as Electron documents it) that
 * serves a stand-in build, or refuses, or is not there at all.
 */

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const REAL_ELECTRON = electronPackageDir();

let root: string;
let electronDir: string;
let mirror: http.Server | null = null;

/** A copy of the electron package without its binary, its installer's dependencies linked. */
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'altgen-start-'));
  electronDir = path.join(root, 'node_modules', 'electron');
  await mkdir(electronDir, { recursive: true });
  for (const name of ['package.json', 'install.js', 'checksums.json']) await copyFile(path.join(REAL_ELECTRON, name), path.join(electronDir, name));
  for (const scope of ['@electron', '@electron-internal']) await symlink(path.join(PROJECT, 'node_modules', scope), path.join(root, 'node_modules', scope));
});

afterEach(async () => {
  await new Promise<void>((resolve) => (mirror ? mirror.close(() => resolve()) : resolve()));
  mirror = null;
  await rm(root, { recursive: true, force: true });
});

async function standInZip(): Promise<Buffer> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from('#!/bin/sh\necho stand-in electron\n'), process.platform === 'win32' ? 'electron.exe' : 'electron', { mode: 0o100755 });
  const { version } = JSON.parse(readFileSync(path.join(REAL_ELECTRON, 'package.json'), 'utf8')) as { version: string };
  zip.addBuffer(Buffer.from(`v${version}`), 'version');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function startMirror(answer: (url: string) => { status: number; body: Buffer | string }): Promise<string> {
  mirror = http.createServer((request, response) => {
    const { status, body } = answer(request.url ?? '');
    response.statusCode = status;
    response.end(body);
  });
  await new Promise<void>((resolve) => mirror!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
}

function installerEnv(mirrorUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: mirrorUrl, electron_config_cache: path.join(root, 'cache') };
  delete env['ELECTRON_EXEC_PATH'];
  delete env['ELECTRON_OVERRIDE_DIST_PATH'];
  return env;
}

describe('npm start fetches Electron on the first start', () => {
  it('downloads it where the network allows, and then finds it', async () => {
    const zip = await standInZip();
    const requests: string[] = [];
    const url = await startMirror((asked) => {
      requests.push(asked);
      if (asked.endsWith('.zip')) return { status: 200, body: zip };
      if (asked.endsWith('SHASUMS256.txt')) {
        const name = path.basename(requests.find((r) => r.endsWith('.zip')) ?? '');
        return { status: 200, body: `${createHash('sha256').update(zip).digest('hex')} *${name}\n` };
      }
      return { status: 404, body: 'no' };
    });
    expect(electronInstalled(electronDir, installerEnv(url))).toBe(false);
    // The stand-in build is not in Electron's own checksum list: the mirror's list vouches for it.
    expect(await fetchElectron(electronDir, { ...installerEnv(url), electron_use_remote_checksums: '1' })).toBeNull();
    expect(electronInstalled(electronDir, installerEnv(url))).toBe(true);
    expect(requests[0]).toMatch(/\/v\d+\.\d+\.\d+\/electron-v[\d.]+-\w+-\w+\.zip$/);
  });

  it('says in one sentence, without a stack trace, that it cannot, and points to altgen serve', async () => {
    const url = await startMirror(() => ({ status: 0, body: '' }));
    await new Promise<void>((resolve) => mirror!.close(() => resolve()));
    mirror = null;
    const sentence = await fetchElectron(electronDir, installerEnv(url));
    expect(sentence).toBe(
      'AltGen could not download Electron (the download server could not be reached), so the desktop app cannot start here; the same app runs in your browser: run npm run build, then npx altgen serve --open.',
    );
    expect(electronInstalled(electronDir, installerEnv(url))).toBe(false);
  });

  it('names what the download server answered when it refuses', async () => {
    const url = await startMirror(() => ({ status: 403, body: 'blocked by the proxy' }));
    expect(await fetchElectron(electronDir, installerEnv(url))).toMatch(/^AltGen could not download Electron \(the download server answered HTTP 403\), so the desktop app/);
  });

  it.skipIf(electronInstalled(REAL_ELECTRON))('as npm start runs it: one line on stderr and exit 1 when the download fails (skipped where Electron is installed: it would start the app)', async () => {
    const url = await startMirror(() => ({ status: 404, body: 'no' }));
    // Asynchronously: the mirror answers from this process.
    const child = spawn(process.execPath, ['--import', path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs'), path.join(PROJECT, 'scripts/start-app.ts')], {
      cwd: PROJECT,
      env: installerEnv(url),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const run = { status, stderr };
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^AltGen could not download Electron \(the download server answered HTTP 404\).*altgen serve --open\.$/)]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
