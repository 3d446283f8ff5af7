import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
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

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > timeoutMs) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exitOf(process: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (process.exitCode !== null) resolve(process.exitCode);
    else process.once('exit', (code) => resolve(code));
  });
}

/** What a browser does with the printed address: follow the redirect with the cookie it set. */
async function openPage(url: string): Promise<Response> {
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(303);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return fetch(new URL(first.headers.get('location') ?? '/', url), { headers: { cookie } });
}

async function stopped(server: ChildProcessWithoutNullStreams): Promise<void> {
  server.kill('SIGTERM');
  expect(await exitOf(server)).toBe(EXIT.ok);
}

function stderrOf(server: ChildProcessWithoutNullStreams): () => string {
  let text = '';
  server.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
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
    const page = await openPage(url);
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

  it('keeps its address (port and token) across restarts, in an owner-only file in the user data folder', async () => {
    const first = await firstLine(serve([]));
    await stopped(child!);
    const again = await firstLine(serve([]));
    expect(again).toBe(first);
    expect((await openPage(again)).status).toBe(200);
    const stateFile = path.join(root, 'data', 'serve.json');
    const state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { port: number; token: string };
    expect(first).toBe(`http://127.0.0.1:${state.port}/?token=${state.token}`);
    if (process.platform !== 'win32') expect((await fs.stat(stateFile)).mode & 0o777).toBe(0o600);
    // The token is still required: the address without it is refused.
    expect((await fetch(`http://127.0.0.1:${state.port}/`)).status).toBe(403);
    await stopped(child!);

    // --new-token: same port, a new token; the old address no longer opens AltGen.
    const renewed = await firstLine(serve(['--new-token']));
    expect(new URL(renewed).port).toBe(String(state.port));
    expect(renewed).not.toBe(first);
    expect((await fetch(first, { redirect: 'manual' })).status).toBe(403);
  });

  it('moves to a free port, and says so, when the one it used before is taken', async () => {
    const first = await firstLine(serve([]));
    await stopped(child!);
    const port = Number(new URL(first).port);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const server = serve([]);
      const stderr = stderrOf(server);
      const moved = await firstLine(server);
      expect(new URL(moved).port).not.toBe(String(port));
      expect(new URL(moved).searchParams.get('token')).toBe(new URL(first).searchParams.get('token'));
      await waitFor(() => stderr().includes(`Port ${port}, where AltGen ran before, is in use`));
    } finally {
      squatter.close();
    }
  });

  it('--open hands the browser an owner-only page that carries the token, never the token on a command line', async () => {
    const recorder = path.join(root, 'browser.mjs');
    const record = path.join(root, 'browser-args.json');
    await fs.writeFile(recorder, `#!${process.execPath}\nimport { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`);
    await fs.chmod(recorder, 0o755);
    const url = await firstLine(serve(['--open'], { BROWSER: recorder }));
    const token = new URL(url).searchParams.get('token') ?? '';
    await waitFor(() => existsSync(record));
    const args = JSON.parse(await fs.readFile(record, 'utf8')) as string[];
    expect(args).toHaveLength(1);
    expect(args.join(' ')).not.toContain(token);
    const page = fileURLToPath(args[0] ?? '');
    expect(page).toBe(path.join(root, 'data', 'serve-open.html'));
    expect(await fs.readFile(page, 'utf8')).toContain(`content="0;url=${url}"`);
    if (process.platform !== 'win32') expect((await fs.stat(page)).mode & 0o777).toBe(0o600);
  });

  it('refuses a port that is not a port number', async () => {
    const server = serve(['--port', '70000']);
    expect(await exitOf(server)).toBe(EXIT.usage);
  });
});
