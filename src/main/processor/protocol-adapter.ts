import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { assertNever } from '../../shared/assert-never';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ProcessorEvent, ProcessorExitCode } from '../../shared/processor-protocol';
import { PROCESSOR_EXIT } from '../../shared/processor-protocol';
import type { LoadConfigOptions } from '../config/load-config';
import { loadConfig, userDataDir } from '../config/load-config';
import { DescriptionCache } from '../describe/description-cache';
import { ModelFailures } from '../describe/model-failures';
import { createScheduler } from '../describe/create-provider';
import type { ModelRequests } from '../describe/model-provider';
import { ModelMissingError, ModelUnavailableError, ModelUnusableError } from '../describe/model-provider';
import { notRegularFileReason, specialFileKind } from '../files/special-files';
import { PackageError } from '../pptx/package-error';
import { decodesFromEnvironment } from './decodes';
import { outputWriteFailure } from './output-write-error';
import { PauseGate, pausableProvider } from './pause-gate';
import { processDeck } from './process-deck';

/**
 * The processor as a program: one deck in, the processor protocol out (DESIGN.md): NDJSON
 * events on stdout, and an exit code that tells the runner whether to fail the file, pause the
 * batch or stop it. Both ways of starting it use this: `altgen process` and the processor's own
 * entry (processor-entry.ts, which the app starts). A batch's long-lived processors
 * (deck-service.ts) run each deck through the same `processOneDeck`.
 */

export interface ProcessorIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Where the settings come from. A runner always names a file (the settings it resolved, see
 * batch/run-folder.ts), so a processor it starts never searches; only a person running
 * `altgen process` without --config has the file found as every `altgen` command finds it.
 */
export type ProcessorSettings = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'search' };

export interface ProcessorProtocolOptions {
  readonly output: string;
  readonly settings: ProcessorSettings;
  /** The name the copy will be renamed to (recorded in the report). */
  readonly finalOutput?: string;
}

function configOptions(settings: ProcessorSettings, io: ProcessorIo): LoadConfigOptions {
  switch (settings.kind) {
    case 'file':
      return { explicit: settings.path, cwd: io.cwd, env: io.env };
    case 'search':
      return { cwd: io.cwd, env: io.env };
    default:
      return assertNever(settings, 'processor settings');
  }
}

/** A processor a batch runs waits out the batch's pause before each model request (pause-gate.ts). */
export function withBatchPause(provider: ModelRequests | null, env: NodeJS.ProcessEnv): ModelRequests | null {
  const gate = PauseGate.fromEnvironment(env);
  return provider && gate ? pausableProvider(provider, gate) : provider;
}

/** What a processor keeps from one deck to the next: its settings, its model, its caches. */
export interface DeckResources {
  readonly config: AltgenConfig;
  /** null: `provider: offline`. */
  readonly provider: ModelRequests | null;
  readonly cache: DescriptionCache;
  readonly modelFailures: ModelFailures;
  readonly decodesAtOnce: number;
}

export function deckResources(config: AltgenConfig, provider: ModelRequests | null, env: NodeJS.ProcessEnv): DeckResources {
  return {
    config,
    provider: withBatchPause(provider, env),
    cache: new DescriptionCache({ dir: config.cache.dir ?? path.join(userDataDir(env), 'cache'), enabled: config.cache.enabled }),
    // The batch's memory of pictures the model failed on, shared with its other processors.
    modelFailures: ModelFailures.fromEnvironment(env),
    decodesAtOnce: decodesFromEnvironment(env),
  };
}

export async function runProcessorProtocol(deck: string, options: ProcessorProtocolOptions, io: ProcessorIo): Promise<ProcessorExitCode> {
  const emit = (event: ProcessorEvent) => io.stdout.write(`${JSON.stringify(event)}\n`);
  const fail = (code: ProcessorExitCode, errorCode: string, message: string) => {
    emit({ type: 'error', code: errorCode, message });
    io.stderr.write(`altgen process: ${message}\n`);
    return code;
  };
  let loaded;
  try {
    loaded = await loadConfig(configOptions(options.settings, io));
  } catch (error) {
    return fail(PROCESSOR_EXIT.usage, 'ECONFIG', (error as Error).message);
  }
  // One deck per process: libvips' operation cache would only hold memory here.
  sharp.cache(false);
  const resources = deckResources(loaded.config, createScheduler(loaded.config.model, io.env), io.env);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    return await processOneDeck(deck, options, io.cwd, resources, emit, controller.signal, fail);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

/**
 * One deck through processDeck, its events to `emit`, how it ended as the protocol's exit code
 * (`fail` reports an error event and returns its code).
 */
export async function processOneDeck(
  deck: string,
  options: Pick<ProcessorProtocolOptions, 'output' | 'finalOutput'>,
  cwd: string,
  resources: DeckResources,
  emit: (event: ProcessorEvent) => void,
  signal: AbortSignal,
  fail: (code: ProcessorExitCode, errorCode: string, message: string) => ProcessorExitCode,
): Promise<ProcessorExitCode> {
  const input = path.resolve(cwd, deck);
  const output = path.resolve(cwd, options.output);
  // Before anything opens it: reading a named pipe waits for a writer that may never come.
  const special = await stat(input).then(specialFileKind, () => null);
  if (special) return fail(PROCESSOR_EXIT.inputProblem, 'EUNSUPPORTED_TYPE', notRegularFileReason(special));
  try {
    const { result } = await processDeck({
      input,
      output,
      finalOutput: options.finalOutput ? path.resolve(cwd, options.finalOutput) : undefined,
      config: resources.config,
      provider: resources.provider,
      cache: resources.cache,
      onProgress: emit,
      onPicture: emit,
      signal,
      decodesAtOnce: resources.decodesAtOnce,
      modelFailures: resources.modelFailures,
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
  }
}
