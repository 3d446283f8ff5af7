import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts the real `altgen serve` (through tsx, from the sources) on a free port and hands
 * back the address it prints, token included. The process is ours to kill, SIGKILL included.
 */
export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX_LOADER = path.join(PROJECT, 'node_modules/tsx/dist/loader.mjs');
const CLI = path.join(PROJECT, 'src/main/cli/index.ts');

export interface AltgenServe {
  readonly url: string;
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  /** SIGTERM (the way a user stops it) and wait for the exit; SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** Kill without any chance to clean up, as a crash or power cut would. */
  kill(): Promise<void>;
}

export interface ServeOptions {
  readonly configDir: string;
  readonly dataDir: string;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** The arguments after `serve`; by default `--port 0` (a free port each time). */
  readonly args?: readonly string[];
}

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startAltgenServe(options: ServeOptions): Promise<AltgenServe> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, 'serve', ...(options.args ?? ['--port', '0'])], {
    cwd: options.cwd,
    env: { ...process.env, ALTGEN_CONFIG_DIR: options.configDir, ALTGEN_DATA_DIR: options.dataDir, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`altgen serve printed no address within 30 s:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /https?:\/\/127\.0\.0\.1:\d+\/\S*/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`altgen serve exited (${code ?? signal}) before printing its address:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}
