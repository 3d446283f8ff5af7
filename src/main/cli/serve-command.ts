import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppService } from '../app-service/app-service';
import { userDataDir } from '../config/load-config';
import type { RunningServer } from '../server/altgen-server';
import { startAltgenServer } from '../server/altgen-server';
import { appVersion } from '../server/app-version';
import { findRendererFolder } from '../server/renderer-folder';
import { newToken, readServeState, writeOpenPage, writeServeState } from '../server/serve-state';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { builtInProcessorCommand } from './built-in-processor';

export interface ServeCommandOptions {
  readonly port?: number;
  readonly open?: boolean;
  readonly config?: string;
  /** Forget the stored token: every open tab and bookmark must use the new address. */
  readonly newToken?: boolean;
}

/**
 * Opens `target` (a file) in the browser: `$BROWSER` when set (one command, as Python's
 * webbrowser and xdg-utils read it), else the system's opener. A failure only costs the user
 * a copy and paste.
 */
function openInBrowser(target: string, env: NodeJS.ProcessEnv): void {
  const browser = env['BROWSER']?.trim();
  const [command, args]: [string, string[]] = browser
    ? [browser, [target]]
    : process.platform === 'darwin'
      ? ['open', [target]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', target]]
        : ['xdg-open', [target]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

/**
 * The server on the stored port with the stored token, so open tabs reconnect and bookmarks
 * keep working. `--port` wins over the stored port; a stored port taken by another program
 * gives way to a free one, said on stderr.
 */
async function startOnStoredPort(service: AppService, rendererDir: string, options: ServeCommandOptions, io: CommandIo): Promise<RunningServer> {
  const dataDir = userDataDir(io.env);
  const stored = await readServeState(dataDir);
  const token = !options.newToken && stored ? stored.token : newToken();
  let server: RunningServer;
  if (options.port !== undefined || !stored) {
    server = await startAltgenServer({ service, rendererDir, port: options.port ?? 0, token });
  } else {
    try {
      server = await startAltgenServer({ service, rendererDir, port: stored.port, token });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EPORT_IN_USE') throw error;
      server = await startAltgenServer({ service, rendererDir, port: 0, token });
      io.stderr.write(
        `Port ${stored.port}, where AltGen ran before, is in use (another program, or AltGen already running): using port ${server.port}; bookmarks of the old address will not work.\n`,
      );
    }
  }
  try {
    await writeServeState(dataDir, { port: server.port, token: server.token });
  } catch (error) {
    io.stderr.write(`Warning: could not remember the port and token in ${dataDir} (${(error as Error).message}): the next start will use a new address.\n`);
  }
  return server;
}

/**
 * `altgen serve [--port N] [--open] [--config file] [--new-token]`: the app in a browser. The
 * first line on stdout is the address to open (with its session token, the same across
 * restarts: serve-state.ts); the server runs until SIGINT or
 * SIGTERM, which stop a running batch the way closing the app does (its files go back to
 * pending, ready to resume).
 */
export async function runServeCommand(options: ServeCommandOptions, io: CommandIo): Promise<ExitCode> {
  const rendererDir = findRendererFolder(io.env);
  const service = new AppService({
    host: { kind: 'web', version: appVersion() },
    env: io.env,
    configFile: options.config === undefined ? undefined : path.resolve(io.cwd, options.config),
    // This same program, run as `altgen process …`, is the built-in processor.
    builtInProcessor: builtInProcessorCommand(),
    // A relative name typed in the page means what it means on this command line.
    baseDir: io.cwd,
  });
  const server = await startOnStoredPort(service, rendererDir, options, io);
  io.stdout.write(`${server.url}\n`);
  io.stdout.write(
    'AltGen is running on this computer only (127.0.0.1). Open the address above in a browser (it stays the same next time); press Ctrl+C to stop.\n',
  );
  if (options.open) openInBrowser(pathToFileURL(await writeOpenPage(userDataDir(io.env), server.url)).href, io.env);

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.stderr.write(`\n${signal}: stopping${service.isRunning ? ' the running batch (resume it later)' : ''}…\n`);
      void service
        .shutdown()
        .finally(() => server.close())
        .finally(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return EXIT.ok;
}
