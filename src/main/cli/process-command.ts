import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ProcessorEvent } from '../../shared/processor-protocol';
import { PROCESSOR_EXIT } from '../../shared/processor-protocol';
import { DescriptionCache } from '../describe/description-cache';
import { ModelFailures } from '../describe/model-failures';
import { ModelMissingError, ModelUnavailableError, ModelUnusableError, createProvider } from '../describe/model-provider';
import { loadConfig, userDataDir } from '../config/load-config';
import { PackageError } from '../pptx/package-reader';
import { processDeck } from '../processor/process-deck';
import { outputWriteFailure } from '../processor/output-write-error';
import type { CommandIo } from './batch-command';
import { decodesFromEnvironment } from '../batch/processor-env';
import { notRegularFileReason, specialFileKind } from '../batch/special-files';

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
  // Before anything opens it: reading a named pipe waits for a writer that may never come.
  const special = await stat(input).then(specialFileKind, () => null);
  if (special) return fail(PROCESSOR_EXIT.inputProblem, 'EUNSUPPORTED_TYPE', notRegularFileReason(special));
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
      // The batch's memory of pictures the model failed on, shared with its other processors.
      modelFailures: ModelFailures.fromEnvironment(io.env),
    });
    emit(result);
    return PROCESSOR_EXIT.ok;
  } catch (error) {
    // Before the input problems: a copy that cannot be written is the output folder's fault.
    const outputFailure = outputWriteFailure(error, output);
    if (outputFailure !== null) return fail(PROCESSOR_EXIT.outputProblem, 'EOUTPUT', outputFailure);
    if (error instanceof PackageError) return fail(PROCESSOR_EXIT.inputProblem, error.code, error.message);
    if (error instanceof ModelUnavailableError) return fail(PROCESSOR_EXIT.modelUnavailable, error.code, error.message);
    if (error instanceof ModelMissingError) return fail(PROCESSOR_EXIT.modelMissing, error.code, error.message);
    if (error instanceof ModelUnusableError) return fail(PROCESSOR_EXIT.modelUnusable, error.code, error.message);
    return fail(PROCESSOR_EXIT.failure, (error as { code?: string }).code ?? 'EPROCESSOR', (error as Error).message);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
