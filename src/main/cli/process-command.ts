import type { ProcessorExitCode } from '../../shared/processor-protocol';
import { runProcessorProtocol } from '../processor/protocol-adapter';
import type { CommandIo } from './batch-command';

/**
 * `altgen process <deck> --output <file>`: the per-file processor (processor/protocol-adapter.ts).
 * A batch always names the settings file it resolved; a person who gives no --config gets the
 * config.yaml every `altgen` command would use (the current folder's, else their own).
 */
export interface ProcessCommandOptions {
  readonly output: string;
  readonly config?: string;
  readonly finalOutput?: string;
}

export function runProcessCommand(deck: string, options: ProcessCommandOptions, io: CommandIo): Promise<ProcessorExitCode> {
  return runProcessorProtocol(
    deck,
    {
      output: options.output,
      settings: options.config !== undefined ? { kind: 'file', path: options.config } : { kind: 'search' },
      finalOutput: options.finalOutput,
    },
    io,
  );
}
