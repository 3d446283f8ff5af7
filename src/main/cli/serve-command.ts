import { spawn } from 'node:child_process';
import path from 'node:path';
import { AppService } from '../app-service/app-service';
import { startAltgenServer } from '../server/altgen-server';
import { appVersion } from '../server/app-version';
import { findRendererFolder } from '../server/renderer-folder';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { builtInProcessorCommand } from './built-in-processor';

export interface ServeCommandOptions {
  readonly port?: number;
  readonly open?: boolean;
  readonly config?: string;
}

/** Opens `url` in the default browser; a failure only costs the user a copy and paste. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

/**
 * `altgen serve [--port N] [--open] [--config file]`: the app in a browser. The first line on
 * stdout is the address to open (with its session token); the server runs until SIGINT or
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
  });
  const server = await startAltgenServer({ service, rendererDir, port: options.port ?? 0 });
  io.stdout.write(`${server.url}\n`);
  io.stdout.write('AltGen is running on this computer only (127.0.0.1). Open the address above in a browser; press Ctrl+C to stop.\n');
  if (options.open) openInBrowser(server.url);

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
