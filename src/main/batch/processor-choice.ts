import type { AltgenConfig } from '../../shared/config-schema';
import { BatchError } from './batch-error';
import { buildProcessorArgv } from './processor-command';

/**
 * Which program a batch runs for each deck: the external `processor.command` of config.yaml,
 * else the built-in processor (`altgen process`) when the host can start it.
 *
 * Settings: the built-in processor is always given the settings file of the run (the settings
 * the runner resolved), so it never looks for a config.yaml itself. An external command's
 * `{config}` is the config file the batch read (the one that names the command), which may hold
 * keys for that program that AltGen does not know; a runner given settings that come from no
 * file (as a program embedding it may do) gives it the run's settings file instead.
 */
export interface ProcessorSettingsFiles {
  /** The config file the batch read, or null when its settings come from no file. */
  readonly configFile: string | null;
  /** The settings the runner resolved, written for this run (run-folder.ts). */
  readonly settingsFile: string;
}

export class ProcessorChoice {
  constructor(
    private readonly config: AltgenConfig,
    /** The command that runs `altgen` (e.g. `[node, cli.js]`), when the host can run it. */
    private readonly builtIn: readonly string[] | undefined,
  ) {}

  get available(): boolean {
    return this.config.processor.command !== null || this.builtIn !== undefined;
  }

  /** How the manifest names it; null when there is none. */
  get label(): string | null {
    const command = this.config.processor.command;
    if (command) return typeof command === 'string' ? command : command.join(' ');
    return this.builtIn ? 'built-in (altgen process)' : null;
  }

  /**
   * The built-in processor as a batch's long-lived processor (processor/deck-service.ts), which
   * takes its decks over IPC one after another; null for an external command, run per deck.
   */
  serviceArgv(settingsFile: string): string[] | null {
    if (this.config.processor.command !== null || !this.builtIn) return null;
    return [...this.builtIn, 'process-decks', '--config', settingsFile];
  }

  /** The argv for one deck, writing to `temp`; `output` is the name the copy will be renamed to. */
  argv(input: string, temp: string, output: string, settings: ProcessorSettingsFiles): string[] {
    const command = this.config.processor.command;
    if (command !== null) return buildProcessorArgv(command, { input, output: temp, config: settings.configFile ?? settings.settingsFile });
    if (!this.builtIn) throw noProcessorError();
    return [...this.builtIn, 'process', input, '--output', temp, '--final-output', output, '--config', settings.settingsFile];
  }
}

export function noProcessorError(): BatchError {
  return new BatchError(
    'ENO_PROCESSOR',
    'No processor is available: set processor.command in config.yaml (e.g. "python pptx_alt_processor.py process {input} --output {output}"), or run with --dry-run to validate only.',
  );
}
