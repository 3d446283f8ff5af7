import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication } from '@playwright/test';
import { PROJECT } from './altgen-serve';

/**
 * Starts the built Electron app (out/main/electron.js, as `npm start` would run it) through
 * Playwright's `_electron` API, with its own config, data and Chromium profile folders, and
 * ends it the hard way. The process is ours to kill, SIGKILL included.
 */
const ELECTRON_PACKAGE = path.join(PROJECT, 'node_modules/electron');
const PATH_TXT = path.join(ELECTRON_PACKAGE, 'path.txt');
const MAIN = path.join(PROJECT, 'out/main/electron.js');
const INSTALL_HINT = 'run `npx install-electron` where its download is reachable';

export type ElectronBinary = { readonly installed: true; readonly path: string } | { readonly installed: false; readonly reason: string };

/**
 * The Electron binary: node_modules/electron/path.txt names it relative to node_modules/electron/dist.
 * Both are written by Electron's download, which needs the network; where they are missing,
 * `reason` says so for the skip message.
 */
export function findElectronBinary(): ElectronBinary {
  if (!existsSync(PATH_TXT)) {
    return { installed: false, reason: `Electron binary not installed (no ${path.relative(PROJECT, PATH_TXT)}); ${INSTALL_HINT}` };
  }
  const binary = path.join(ELECTRON_PACKAGE, 'dist', readFileSync(PATH_TXT, 'utf8').trim());
  if (!existsSync(binary)) {
    return { installed: false, reason: `Electron binary not installed (no ${path.relative(PROJECT, binary)}); ${INSTALL_HINT}` };
  }
  return { installed: true, path: binary };
}

export interface DesktopOptions {
  readonly configDir: string;
  readonly dataDir: string;
  /** Electron's own userData (Chromium profile, single-instance lock), kept out of ~/.config. */
  readonly profileDir: string;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Launches AltGen Desktop; `firstWindow()` on the result is its main window. */
export async function launchAltgenDesktop(binary: string, options: DesktopOptions): Promise<ElectronApplication> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // ELECTRON_RUN_AS_NODE (set by some editors' terminals) would start the binary as plain Node.
    if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE') env[name] = value;
  }
  return _electron.launch({
    executablePath: binary,
    args: [MAIN, '--no-sandbox', `--user-data-dir=${options.profileDir}`],
    cwd: options.cwd,
    env: { ...env, ALTGEN_CONFIG_DIR: options.configDir, ALTGEN_DATA_DIR: options.dataDir, ...options.env },
  });
}

/**
 * Kill without any chance to clean up, as a crash or power cut would, and wait for the exit.
 * Also the way to end the app after a test: `app.close()` quits through the app's own route,
 * which asks first while a batch is (or, for a moment after its end, still counts as) running.
 */
export async function killAltgenDesktop(app: ElectronApplication): Promise<void> {
  const child = app.process();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
