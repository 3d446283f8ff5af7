// `npm start`: the desktop app. Electron 45 has no install script (it fetches its binary the
// first time it is asked for), and electron-vite refuses with "Error: Electron uninstall" and a
// stack trace before any download is tried. So the binary is fetched here, on the first start,
// where the network allows it (Electron's own installer: its mirror and cache settings apply);
// where it does not, one sentence says why and points to `altgen serve`, and the exit code is 1.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The folder of the `electron` package this project uses. */
export function electronPackageDir(): string {
  return path.dirname(require.resolve('electron/package.json'));
}

/** Whether the Electron binary is there (or an override names one), where electron-vite looks for it. */
export function electronInstalled(electronDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const execPath = env['ELECTRON_EXEC_PATH'];
  if (execPath) return existsSync(execPath);
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const dist = env['ELECTRON_OVERRIDE_DIST_PATH'] || path.join(electronDir, 'dist');
  return executable !== '' && existsSync(path.join(dist, executable));
}

/** Why the installer failed, in a few words: its first line names the error, the rest is a stack. */
export function downloadFailureReason(stderr: string): string {
  const first =
    stderr
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('at ')) ?? '';
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|socket hang up|network/i.test(first)) {
    return 'the download server could not be reached';
  }
  const status = /Response code (\d+)/.exec(first);
  if (status) return `the download server answered HTTP ${status[1]}`;
  if (/checksum|sha256/i.test(first)) return 'the download did not match its checksum';
  return first.replace(/^\w*Error:\s*/, '').slice(0, 160) || 'the installer stopped without saying why';
}

export function noElectronSentence(reason: string): string {
  return `AltGen could not download Electron (${reason}), so the desktop app cannot start here; the same app runs in your browser: run npm run build, then npx altgen serve --open.`;
}

/**
 * Runs Electron's own installer unless the binary is there; null when it is there afterwards,
 * else the one sentence to print. The installer's progress goes to stdout; its stack trace is
 * read, never shown.
 */
export async function fetchElectron(electronDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (electronInstalled(electronDir, env)) return null;
  const { version } = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')) as { version: string };
  process.stdout.write(`Fetching Electron ${version} for the desktop app (first start only, about 100 MB)…\n`);
  const installer = spawn(process.execPath, [path.join(electronDir, 'install.js')], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  installer.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const outcome = await new Promise<{ readonly code: number | null; readonly error?: Error }>((resolve) => {
    installer.once('error', (error) => resolve({ code: null, error }));
    installer.once('close', (code) => resolve({ code }));
  });
  if (outcome.error) return noElectronSentence(outcome.error.message);
  if (outcome.code === 0 && electronInstalled(electronDir, env)) return null;
  return noElectronSentence(downloadFailureReason(stderr));
}

async function main(): Promise<void> {
  const problem = await fetchElectron(electronPackageDir());
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [electronVite, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
