import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes';

/**
 * `altgen serve` as a user (or a Playwright test) starts it: a real process from the sources,
 * its first stdout line the address to open.
 */
const PROJECT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = path.join(PROJECT, 'src/main/cli/index.ts');
const TSX = pathToFileURL(path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs')).href;

let root: string;
let rendererDir: string;
let child: ChildProcessWithoutNullStreams | null = null;

function serve(args: readonly string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  child = spawn(process.execPath, ['--import', TSX, ENTRY, 'serve', ...args], {
    cwd: root,
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data'), ALTGEN_RENDERER_DIR: rendererDir, ...env },
  });
  return child;
}

function firstLine(process: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    process.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

function exitOf(process: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (process.exitCode !== null) resolve(process.exitCode);
    else process.once('exit', (code) => resolve(code));
  });
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-serve-cli-'));
  rendererDir = path.join(root, 'renderer');
  await fs.mkdir(rendererDir);
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>AltGen test page</title>');
});

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  await fs.rm(root, { recursive: true, force: true });
});

describe('altgen serve', () => {
  it('prints the address with its token on the first line, serves it, and stops cleanly on SIGTERM', async () => {
    const server = serve(['--port', '0']);
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await firstLine(server);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('AltGen test page');
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403);
    server.kill('SIGTERM');
    expect(await exitOf(server)).toBe(EXIT.ok);
    expect(stderr).toContain('SIGTERM');
  });

  it('says how to build the UI when it is not built', async () => {
    const server = serve([], { ALTGEN_RENDERER_DIR: path.join(root, 'missing') });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(server)).toBe(EXIT.usage);
    expect(stderr).toContain('The web UI is not built: run `npm run build`');
  });

  it('refuses a port that is not a port number', async () => {
    const server = serve(['--port', '70000']);
    expect(await exitOf(server)).toBe(EXIT.usage);
  });
});
