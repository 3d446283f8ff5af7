import { existsSync } from 'node:fs';

/**
 * The command that runs the built-in processor for each deck. From the build, that is the
 * small processor entry beside the CLI (out/main/processor.js), which starts in half the time
 * of the whole CLI; from source (tests, `tsx`), it is this same program run as `altgen process`.
 */
export function builtInProcessorCommand(processorEntry: string | undefined = process.env['ALTGEN_PROCESSOR_ENTRY']): string[] {
  if (processorEntry && existsSync(processorEntry)) return [process.execPath, processorEntry];
  return [process.execPath, ...process.execArgv, process.argv[1] ?? ''];
}
