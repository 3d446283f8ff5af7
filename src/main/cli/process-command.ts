import path from 'node:path';
import sharp from 'sharp';
import type { ProcessorEvent } from '../../shared/processor-protocol';
import { PROCESSOR_EXIT } from '../../shared/processor-protocol';
import { DescriptionCache } from '../describe/description-cache';
import { ModelMissingError, ModelUnavailableError, createProvider } from '../describe/model-provider';
import { loadConfig, userDataDir } from '../config/load-config';
import { PackageError } from '../pptx/package-reader';
import { processDeck } from '../processor/process-deck';
import type { CommandIo } from './batch-command';
import { decodesFromEnvironment } from '../batch/processor-env';

/**
 * `altgen process <deck> --output <file>`: the per-file processor the batch spawns, speaking
 * the processor protocol (DESIGN.md): NDJSON events on stdout, and an exit code that tells
 * the runner whether to fail the file, pause the batch or stop it.
 */
export interface ProcessCommandOptions {
  readonly output: string;
  readonly config?: string;
  readonly finalOutput?: string;
}

export async function runProcessCommand(deck: string, options: ProcessCommandOptions, io: CommandIo): Promise<number> {
  const emit = (event: ProcessorEvent) => io.stdout.write(`${JSON.stringify(event)}\n`);
  const fail = (code: number, errorCode: string, message: string) => {
    emit({ type: 'error', code: errorCode, message });
    io.stderr.write(`altgen process: ${message}\n`);
    return code;
  };
  let loaded;
  try {
    loaded = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  } catch (error) {
    return fail(PROCESSOR_EXIT.usage, 'ECONFIG', (error as Error).message);
  }
  const { config } = loaded;
  // One deck per process: libvips' operation cache would only hold memory here.
  sharp.cache(false);
  const input = path.resolve(io.cwd, deck);
  const output = path.resolve(io.cwd, options.output);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const { result } = await processDeck({
      input,
      output,
      finalOutput: options.finalOutput ? path.resolve(io.cwd, options.finalOutput) : undefined,
      config,
      provider: createProvider(config.model, io.env),
      cache: new DescriptionCache({ dir: config.cache.dir ?? path.join(userDataDir(io.env), 'cache'), enabled: config.cache.enabled }),
      onProgress: emit,
      signal: controller.signal,
      decodesAtOnce: decodesFromEnvironment(io.env),
    });
    emit(result);
    return PROCESSOR_EXIT.ok;
  } catch (error) {
    if (error instanceof PackageError) return fail(PROCESSOR_EXIT.inputProblem, error.code, error.message);
    if (error instanceof ModelUnavailableError) return fail(PROCESSOR_EXIT.modelUnavailable, error.code, error.message);
    if (error instanceof ModelMissingError) return fail(PROCESSOR_EXIT.modelMissing, error.code, error.message);
    return fail(PROCESSOR_EXIT.failure, (error as { code?: string }).code ?? 'EPROCESSOR', (error as Error).message);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
