import sharp from 'sharp';
import type { ProcessorEvent, ProcessorExitCode } from '../../shared/processor-protocol';
import { PROCESSOR_EXIT } from '../../shared/processor-protocol';
import { loadConfig } from '../config/load-config';
import { BrokerClient } from '../describe/broker-client';
import { createProviders } from '../describe/create-provider';
import type { BrokerAnswer, BrokerAsk } from '../describe/model-broker-protocol';
import { poolId } from '../describe/request-scheduler';
import { deckResources, processOneDeck, type DeckResources } from './protocol-adapter';

/**
 * A batch's built-in processor kept alive across decks (`processor.js decks --config <file>`,
 * or `altgen process-decks`), started by the runner's pool (batch/processor-pool.ts) with an
 * IPC channel. Starting Node and loading the processor's modules costs about 0.3 s, more than
 * the rest of the work on a small deck; a long-lived processor pays it once.
 *
 * It keeps the isolation of one process per deck where it matters: it works on one deck at a
 * time (the runner sends the next only after `deck-done`), so a deck that crashes it, or that
 * runs out of time (the runner kills its whole process group), takes down only itself; the
 * runner starts a new processor for the next deck. Between decks it keeps only its settings
 * and clients: the description cache and the model failures are on disk as before, and each
 * deck gets its own text reader, so nothing one deck did shapes how the next is read.
 *
 * Its model requests go to the runner's scheduler (model-broker-protocol.ts), which sees every
 * running deck's pictures. When the channel closes (the runner has ended, even by SIGKILL), the
 * processor exits at once.
 */

/** What the runner sends. */
export type ServiceCommand = { readonly type: 'deck'; readonly input: string; readonly output: string; readonly finalOutput: string; readonly capacity: number } | BrokerAnswer;

/** What the processor sends. */
export type ServiceMessage = { readonly type: 'event'; readonly event: ProcessorEvent } | { readonly type: 'deck-done'; readonly exitCode: ProcessorExitCode } | BrokerAsk;

export interface ServiceIo {
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export async function runDeckService(settingsFile: string, io: ServiceIo): Promise<ProcessorExitCode> {
  const channel = process;
  if (!channel.send || !channel.connected) {
    io.stderr.write('processor decks: no channel to a batch runner; this mode is started by a batch, not by hand (use `process <deck>`).\n');
    return PROCESSOR_EXIT.usage;
  }
  const send = (message: ServiceMessage): void => {
    if (channel.connected) channel.send?.(message);
  };
  let loaded;
  try {
    loaded = await loadConfig({ explicit: settingsFile, cwd: io.cwd, env: io.env });
  } catch (error) {
    io.stderr.write(`processor decks: ${(error as Error).message}\n`);
    return PROCESSOR_EXIT.usage;
  }
  const { config } = loaded;
  // Nothing decoded for one deck is any use to the next.
  sharp.cache(false);
  const servers = createProviders(config.model, io.env);
  const client = servers.length > 0 ? new BrokerClient(poolId(servers), send, 1) : null;
  const resources: DeckResources = deckResources(config, client, io.env);

  let current: AbortController | null = null;
  const stopDeck = (): void => current?.abort();
  process.on('SIGTERM', stopDeck);
  process.on('SIGINT', stopDeck);
  return new Promise<ProcessorExitCode>((resolve) => {
    channel.on('disconnect', () => {
      client?.disconnected();
      stopDeck();
      resolve(PROCESSOR_EXIT.ok);
    });
    channel.on('message', (message: ServiceCommand) => {
      if (message.type !== 'deck') {
        client?.receive(message);
        return;
      }
      client?.receive({ type: 'model-capacity', capacity: message.capacity });
      const controller = new AbortController();
      current = controller;
      const emit = (event: ProcessorEvent): void => send({ type: 'event', event });
      const fail = (code: ProcessorExitCode, errorCode: string, text: string): ProcessorExitCode => {
        emit({ type: 'error', code: errorCode, message: text });
        io.stderr.write(`altgen process: ${text}\n`);
        return code;
      };
      void processOneDeck(message.input, { output: message.output, finalOutput: message.finalOutput }, io.cwd, resources, emit, controller.signal, fail)
        .catch((error: unknown) => fail(PROCESSOR_EXIT.failure, 'EPROCESSOR', (error as Error).message))
        .then((exitCode) => {
          current = null;
          send({ type: 'deck-done', exitCode });
        });
    });
  });
}
