import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelSchema } from '../../shared/config-schema';
import type { ProcessorEvent } from '../../shared/processor-protocol';
import { fakeDescriptionFor, startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { ModelBroker } from './model-broker';
import { isProcessAlive } from './process-alive';
import { killAllProcessors } from './processor-launcher';
import { ProcessorPool, type PoolDeck } from './processor-pool';

/**
 * The batch's long-lived processors (processor-pool.ts) with a real child process that speaks
 * the deck service's protocol (test-processors/scripted-deck-service.mjs) and a real model
 * broker over the loopback stand-in server: one processor serves deck after deck, and the
 * isolation of one process per deck still holds where it matters.
 */

const SERVICE = fileURLToPath(new URL('./test-processors/scripted-deck-service.mjs', import.meta.url));
const IS_WINDOWS = process.platform === 'win32';

let dir: string;
let fake: FakeModelServer;
let broker: ModelBroker;
let pool: ProcessorPool;
let spawned: number[];
let exited: number[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'altgen-pool-'));
  fake = await startFakeModelServer();
  broker = ModelBroker.create(modelSchema.parse({ base_url: fake.url, max_retries: 0 }), {}) as ModelBroker;
  spawned = [];
  exited = [];
  pool = new ProcessorPool({
    argv: [process.execPath, SERVICE],
    env: process.env,
    broker,
    killGraceMs: 500,
    onSpawn: async (pid) => {
      spawned.push(pid);
    },
    onExit: async (pid) => {
      exited.push(pid);
    },
  });
});

afterEach(async () => {
  await pool.close();
  broker.close();
  await killAllProcessors();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

function deck(mode: string, extra: Partial<PoolDeck> = {}): PoolDeck & { readonly events: ProcessorEvent[] } {
  const events: ProcessorEvent[] = [];
  return { input: join(dir, mode), output: join(dir, `${mode}.tmp`), finalOutput: join(dir, `${mode}.out`), timeoutMs: 60_000, onEvent: (event) => events.push(event), events, ...extra };
}

const messages = (events: readonly ProcessorEvent[]): string[] => events.flatMap((event) => (event.type === 'progress' && event.message ? [event.message] : []));

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ProcessorPool', () => {
  it('runs deck after deck in one processor, and retires it when closed', async () => {
    const first = deck('ok');
    const second = deck('ok');
    expect(await pool.run(first)).toMatchObject({ exitCode: 0, timedOut: false, aborted: false });
    expect(await pool.run(second)).toMatchObject({ exitCode: 0 });
    expect(spawned).toHaveLength(1);
    expect(messages(first.events)).toEqual([`pid ${spawned[0]}`]);
    expect(messages(second.events)).toEqual([`pid ${spawned[0]}`]);
    await pool.close();
    expect(exited).toEqual(spawned);
    expect(isProcessAlive(spawned[0]!)).toBe(false);
  });

  it('a deck that crashes its processor ends alone; the next deck gets a new processor', async () => {
    expect(await pool.run(deck('crash'))).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(await pool.run(deck('ok'))).toMatchObject({ exitCode: 0 });
    expect(spawned).toHaveLength(2);
    expect(exited).toContain(spawned[0]);
  });

  it.skipIf(IS_WINDOWS)('a deck that runs out of time has its whole process group killed, and the next deck gets a new processor', async () => {
    const child = deck('child');
    await pool.run(child);
    const grandchild = Number(/child (\d+)/.exec(messages(child.events)[0] ?? '')?.[1]);
    expect(isProcessAlive(grandchild)).toBe(true);
    expect(await pool.run(deck('hang', { timeoutMs: 300 }))).toMatchObject({ timedOut: true, exitCode: null });
    // The grandchild the processor left in its group went with it.
    await until('the grandchild to be killed', () => !isProcessAlive(grandchild));
    expect(await pool.run(deck('ok'))).toMatchObject({ exitCode: 0 });
    expect(spawned).toHaveLength(2);
  });

  it("the time a pause took is added to the deck's limit: it is asked when the limit is reached", async () => {
    const asked: number[] = [];
    // Paused 300 ms before the limit came; nothing more after.
    const extraTimeMs = (): number => {
      asked.push(asked.length);
      return 300;
    };
    expect(await pool.run(deck('hang', { timeoutMs: 200, extraTimeMs }))).toMatchObject({ timedOut: true });
    // Asked when the 200 ms were up (300 ms more), and again when those were up (none left).
    expect(asked.length).toBeGreaterThanOrEqual(2);
  });

  it("asks the runner's model scheduler for its pictures", async () => {
    const asking = deck('ask');
    expect(await pool.run(asking)).toMatchObject({ exitCode: 0 });
    const picture = Buffer.from(`picture 1 of ${spawned[0]}`);
    expect(messages(asking.events)).toEqual([fakeDescriptionFor(createHash('sha256').update(picture).digest('hex'))]);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('withdraws the model requests of a processor that ends while they are out', async () => {
    fake.script(() => ({ hang: true }));
    const outcome = pool.run(deck('ask-die'));
    await until('the request to reach the server', () => fake.chatRequests().length === 1);
    expect(broker.servers()[0]).toMatchObject({ out: 1 });
    expect(await outcome).toMatchObject({ exitCode: 4 });
    await until('the request to be withdrawn', () => broker.servers()[0]?.out === 0);
  });

  it('a stopped deck (the user stops now) ends its processor', async () => {
    const controller = new AbortController();
    const hung = pool.run(deck('hang', { signal: controller.signal }));
    await until('the processor to start', () => spawned.length === 1);
    controller.abort();
    expect(await hung).toMatchObject({ aborted: true });
    await until('the processor to be gone', () => !isProcessAlive(spawned[0]!));
  });
});
