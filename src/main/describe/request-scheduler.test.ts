import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { modelSchema } from '../../shared/config-schema';
import { createProvider, createScheduler } from './create-provider';
import { ModelMissingError, ModelRequestError, ModelUnavailableError, type ModelError } from './model-errors';
import type { RequestClock } from './model-http';
import type { DescribeRequest, ModelProvider, ModelServer, SendResult } from './model-provider';
import { poolId, RequestScheduler } from './request-scheduler';
import { fakeDescriptionFor, startFakeModelServer, type FakeModelServer } from './testing/fake-model-server';

/**
 * The scheduler against real loopback model servers (the stand-in server of
 * testing/fake-model-server.ts, with limited slots where it matters). No test asserts how long
 * anything took beyond lower bounds: a server's Retry-After is a floor, never a ceiling.
 */

const fast = { retryBaseDelayMs: 10, retryMaxDelayMs: 50, refusedRetryDelayMs: 10 };
const quickRecheck = { recheck: { firstMs: 50, maxMs: 200 } };

const servers: FakeModelServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function fakeServer(options: Parameters<typeof startFakeModelServer>[0] = {}): Promise<FakeModelServer> {
  const server = await startFakeModelServer(options);
  servers.push(server);
  return server;
}

function provider(url: string, overrides: Record<string, unknown> = {}): ModelProvider {
  return createProvider(modelSchema.parse({ base_url: url, timeout_seconds: 5, max_retries: 2, ...overrides }), {}, fast)!;
}

let colour = 0;
/** A distinct small picture per call. */
async function picture(key?: string): Promise<DescribeRequest> {
  colour += 1;
  const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: colour % 256, g: (colour >> 8) % 256, b: 77 } } })
    .png()
    .toBuffer();
  return { image, mime: 'image/png', prompt: 'Describe this picture.', system: 'You write alt text.', ...(key ? { key } : {}) };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A real provider, counting how many of its requests are out at once and checking that against the scheduler's limit. */
function counted(inner: ModelProvider, scheduler: () => RequestScheduler): ModelServer & { peak: number; overLimit: number[] } {
  let out = 0;
  const counter = {
    peak: 0,
    overLimit: [] as number[],
    id: inner.id,
    description: inner.description,
    policy: inner.policy,
    parallelRequests: inner.parallelRequests,
    check: () => inner.check(),
    probe: (timeoutMs: number, signal?: AbortSignal) => inner.probe(timeoutMs, signal),
    async send(request: DescribeRequest, signal?: AbortSignal, clock?: RequestClock): Promise<SendResult> {
      out += 1;
      counter.peak = Math.max(counter.peak, out);
      const limit = scheduler().servers().find((server) => server.id === inner.id)?.limit ?? 0;
      if (out > limit) counter.overLimit.push(out);
      try {
        return await inner.send(request, signal, clock);
      } finally {
        out -= 1;
      }
    },
  };
  return counter;
}

describe('RequestScheduler', () => {
  it('never has more requests out to a server than its limit, fixed or found', async () => {
    const server = await fakeServer({ capacity: { slots: 3, latencyMs: 40 } });
    const fixedServer = counted(provider(server.url, { parallel_requests: 2 }), () => fixed);
    const fixed: RequestScheduler = new RequestScheduler([fixedServer]);
    await Promise.all(Array.from({ length: 30 }, async () => fixed.ask(await picture())));
    expect(fixedServer.peak).toBe(2);
    expect(fixedServer.overLimit).toEqual([]);

    const adaptiveServer = counted(provider(server.url), () => adaptive);
    const adaptive: RequestScheduler = new RequestScheduler([adaptiveServer]);
    await Promise.all(Array.from({ length: 120 }, async () => adaptive.ask(await picture())));
    expect(adaptiveServer.overLimit).toEqual([]);
    expect(adaptiveServer.peak).toBeGreaterThanOrEqual(3);
  });

  it.each([1, 4, 16])('finds the %i slots of the stand-in server within a bounded number of calls', async (slots) => {
    const server = await fakeServer({ capacity: { slots, latencyMs: 800 } });
    const scheduler = new RequestScheduler([provider(server.url)]);
    // The pictures are all asked at once, as a batch's scheduler always has more waiting.
    const calls = 10 * slots + 24;
    const pictures = await Promise.all(Array.from({ length: calls }, () => picture()));
    await Promise.all(pictures.map((request) => scheduler.ask(request)));
    expect(server.chatRequests()).toHaveLength(calls);
    // Exactly the slots in the simulation (concurrency-limit.test.ts). Here the server and the
    // scheduler share one busy process, whose own delays add to every latency: on a loaded
    // machine the search may stop short (slower, never wrong), or one or two more may look
    // free.
    const [found] = scheduler.servers();
    expect(found?.capacity).toBeGreaterThanOrEqual(Math.ceil(slots / 2));
    expect(found?.capacity).toBeLessThanOrEqual(slots + Math.max(1, slots / 4));
  }, 120_000);

  it("does not count time in the server's own queue against a description's timeout", async () => {
    // One slot, 1 s a picture; three at once: the last waits 2 s for its turn, past the 1.6 s
    // timeout. Each request, counted from its turn, has 0.6 s to spare: a busy machine delays
    // the answer's reading by that much only rarely. (More requests at once make the test
    // depend on the machine: the scheduler learns the server's slots from how fast answers
    // come, and a busy machine blurs that.)
    const server = await fakeServer({ capacity: { slots: 1, latencyMs: 1_000 } });
    const scheduler = new RequestScheduler([provider(server.url, { parallel_requests: 3, timeout_seconds: 1.6 })]);
    const requests = await Promise.all([picture(), picture(), picture()]);
    const asked = performance.now();
    let slowestMs = 0;
    const replies = await Promise.all(
      requests.map(async (request) => {
        const reply = await scheduler.ask(request);
        slowestMs = Math.max(slowestMs, performance.now() - asked);
        return reply;
      }),
    );
    // The case at hand: an answer came later than the timeout after it was asked (a lower
    // bound, which a busy machine only makes longer).
    expect(slowestMs).toBeGreaterThan(1_600);
    expect(replies.map((reply) => reply.shared)).toEqual([false, false, false]);
    // No timeout, so no retry and no probe: three requests.
    expect(server.chatRequests()).toHaveLength(3);
    expect(server.slotStats().peakWaiting).toBe(2);
  });

  it('counts the timeout afresh when a request sent after it reached the server first and took the slot', async () => {
    // One slot, 1 s a picture, a 1.6 s timeout. The second request's connection is slow, so
    // the third reaches the server before it: the server answers 1, 3, 2. The second's clock
    // starts when the first is answered (at 1 s) but its turn comes only after the third's
    // (2 s to 3 s): without counting afresh it would time out at 2.6 s.
    const server = await fakeServer({ capacity: { slots: 1, latencyMs: 1_000 } });
    const inner = provider(server.url, { parallel_requests: 3, timeout_seconds: 1.6 });
    let sends = 0;
    const slowSecond: ModelServer = {
      id: inner.id,
      description: inner.description,
      policy: inner.policy,
      parallelRequests: inner.parallelRequests,
      check: () => inner.check(),
      probe: (timeoutMs, signal) => inner.probe(timeoutMs, signal),
      async send(request, signal, clock) {
        sends += 1;
        if (sends === 2) await new Promise((resolve) => setTimeout(resolve, 500));
        return inner.send(request, signal, clock);
      },
    };
    const scheduler = new RequestScheduler([slowSecond]);
    const requests = await Promise.all([picture(), picture(), picture()]);
    const order: number[] = [];
    const replies = await Promise.all(requests.map(async (request, index) => scheduler.ask(request).then((reply) => (order.push(index), reply))));
    // The third may even beat the first (a busy machine opens connections in any order): either
    // way a request was served after one sent later, and none timed out.
    expect(order[2]).toBe(1);
    expect(replies.map((reply) => reply.text)).toEqual(requests.map((request) => fakeDescriptionFor(sha256(request.image))));
    // No timeout, so no retry and no probe: three requests.
    expect(server.chatRequests()).toHaveLength(3);
  });

  it('asks once for a picture that several decks ask for at the same time', async () => {
    const server = await fakeServer({ capacity: { slots: 1, latencyMs: 100 } });
    const scheduler = new RequestScheduler([provider(server.url)]);
    const request = await picture('a'.repeat(64));
    const replies = await Promise.all([scheduler.ask(request), scheduler.ask({ ...request, prompt: 'Another slide.' }), scheduler.ask(request)]);
    expect(server.chatRequests()).toHaveLength(1);
    expect(replies.map((reply) => [reply.text, reply.shared])).toEqual([
      [fakeDescriptionFor(sha256(request.image)), false],
      [fakeDescriptionFor(sha256(request.image)), true],
      [fakeDescriptionFor(sha256(request.image)), true],
    ]);
    // Asked again once answered (another deck, before its processor's cache has the answer):
    // the answer, without a call.
    expect(await scheduler.ask(request)).toEqual({ text: fakeDescriptionFor(sha256(request.image)), model: replies[0]?.model, shared: true });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("says of a failure shared by several decks that it was another's: counted once, by the deck whose request it was", async () => {
    const server = await fakeServer({ capacity: { slots: 1, latencyMs: 100 } });
    server.script(() => ({ status: 500 }));
    const scheduler = new RequestScheduler([provider(server.url, { max_retries: 0 })]);
    const request = await picture('b'.repeat(64));
    const failures = await Promise.all([scheduler.ask(request), scheduler.ask(request), scheduler.ask(request)].map((asked) => asked.then(() => null, (error: unknown) => error)));
    expect(server.chatRequests()).toHaveLength(1);
    expect(failures.map((error) => [(error as ModelError).code, (error as ModelError).shared])).toEqual([
      ['EMODEL_REQUEST', false],
      ['EMODEL_REQUEST', true],
      ['EMODEL_REQUEST', true],
    ]);
    // A failure is not remembered as an answer: the next ask is a request of its own.
    await scheduler.ask(request).catch(() => undefined);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('keeps one request going while another deck still waits for it, and stops it when no deck does', async () => {
    const server = await fakeServer();
    server.script((request) => ({ delayMs: request.index === 0 ? 300 : 60_000 }));
    const scheduler = new RequestScheduler([provider(server.url)]);
    const request = await picture('b'.repeat(64));
    const first = new AbortController();
    const gone = scheduler.ask(request, first.signal);
    const kept = scheduler.ask(request);
    first.abort(new Error('deck stopped'));
    await expect(gone).rejects.toThrow('deck stopped');
    expect((await kept).text).toMatch(/^Test figure/);
    const lone = new AbortController();
    const stopped = scheduler.ask(await picture('c'.repeat(64)), lone.signal);
    while (server.chatRequests().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    lone.abort(new Error('batch stopped'));
    await expect(stopped).rejects.toThrow('batch stopped');
    // The request itself stops (not the server's 60 s): nothing is left out.
    while (scheduler.servers()[0]?.out !== 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('honours Retry-After: the busy server gets nothing before the time it asked for, and the picture goes to another', async () => {
    const busy = await fakeServer();
    const other = await fakeServer();
    busy.script((request) => (request.index === 0 ? { status: 429, retryAfterSeconds: 1 } : undefined));
    const scheduler = new RequestScheduler([provider(busy.url, { parallel_requests: 1 }), provider(other.url, { parallel_requests: 1 })]);
    const started = Date.now();
    const first = await scheduler.ask(await picture());
    // The 429 sent it to the other server at once.
    expect(first.model).toBe('ollama:llava:latest');
    expect(other.chatRequests()).toHaveLength(1);
    // While the busy server's second is not up, every picture goes to the other one.
    for (let i = 0; i < 3; i += 1) await scheduler.ask(await picture());
    const busyTimes = busy.requests.filter((r) => r.path === '/api/chat').map(() => Date.now());
    expect(busyTimes).toHaveLength(1);
    expect(other.chatRequests()).toHaveLength(4);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_050 - (Date.now() - started))));
    await Promise.all([picture(), picture()].map(async (request) => scheduler.ask(await request)));
    expect(busy.chatRequests().length).toBeGreaterThan(1);
  });

  it('honours Retry-After with a single server: the next attempt waits at least that long', async () => {
    const server = await fakeServer();
    const times: number[] = [];
    server.script(() => {
      times.push(Date.now());
      return times.length === 1 ? { status: 503, retryAfterSeconds: 0.4 } : undefined;
    });
    const reply = await new RequestScheduler([provider(server.url, { max_retries: 0 })]).ask(await picture());
    expect(reply.text).toMatch(/^Test figure/);
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(380);
  });

  it('gives up on a picture after too many busy answers, naming the server', async () => {
    const server = await fakeServer();
    server.script(() => ({ status: 429 }));
    const failure = new RequestScheduler([provider(server.url)], { maxBusyAnswers: 3 }).ask(await picture());
    await expect(failure).rejects.toBeInstanceOf(ModelRequestError);
    await expect(failure).rejects.toThrow(/kept answering that it is busy \(HTTP 429, 4 times\)/);
    expect(server.chatRequests()).toHaveLength(4);
  });

  it('fails over when a server goes away, and gives it requests again once it is back', async () => {
    const first = await fakeServer();
    const second = await fakeServer();
    const scheduler = new RequestScheduler([provider(first.url), provider(second.url)], quickRecheck);
    await Promise.all(Array.from({ length: 8 }, async () => scheduler.ask(await picture())));
    expect(first.chatRequests().length).toBeGreaterThan(0);
    const port = first.port;
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    // Every picture is answered, by the server still there; none fails.
    const during = await Promise.all(Array.from({ length: 8 }, async () => scheduler.ask(await picture())));
    expect(during).toHaveLength(8);
    expect(scheduler.servers().map((server) => server.health)).toEqual(['down', 'healthy']);
    const back = await fakeServer({ port });
    for (let tries = 0; scheduler.servers()[0]?.health !== 'healthy' && tries < 200; tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(scheduler.servers()[0]?.health).toBe('healthy');
    await Promise.all(Array.from({ length: 8 }, async () => scheduler.ask(await picture())));
    expect(back.chatRequests().filter((request) => request.images.length > 0).length).toBeGreaterThan(0);
    scheduler.close();
  });

  it('moves the pictures out to a wedged server to the others without waiting for their timeouts', async () => {
    const wedged = await fakeServer();
    const good = await fakeServer();
    wedged.script(() => ({ hang: true }));
    const scheduler = new RequestScheduler([provider(wedged.url, { timeout_seconds: 0.3, parallel_requests: 4 }), provider(good.url, { parallel_requests: 1 })], quickRecheck);
    const replies = await Promise.all(Array.from({ length: 6 }, async () => scheduler.ask(await picture())));
    expect(replies.every((reply) => reply.text.startsWith('Test figure'))).toBe(true);
    expect(good.chatRequests()).toHaveLength(6);
    expect(scheduler.servers()[0]?.health).toBe('down');
    scheduler.close();
  });

  it('pauses the batch (ModelUnavailableError) only when no server answers', async () => {
    const first = await fakeServer();
    const second = await fakeServer();
    const urls = [first.url, second.url];
    await Promise.all([first.stop(), second.stop()]);
    servers.length = 0;
    const failure = new RequestScheduler(urls.map((url) => provider(url))).ask(await picture());
    await expect(failure).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(failure).rejects.toThrow(/^None of the 2 model servers answers: Could not reach the model server at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('once the batch finds its server back (forgetOutage), the next request asks it afresh instead of failing on a stale re-check', async () => {
    const server = await fakeServer();
    server.script(() => ({ hang: true }));
    // Background re-checks far apart: only forgetOutage can make the next request ask again.
    const scheduler = new RequestScheduler([provider(server.url, { timeout_seconds: 0.3, max_retries: 0 })], { recheck: { firstMs: 60_000, maxMs: 60_000 } });
    await expect(scheduler.ask(await picture())).rejects.toBeInstanceOf(ModelUnavailableError);
    server.script(() => undefined);
    await expect(scheduler.ask(await picture())).rejects.toBeInstanceOf(ModelUnavailableError);
    scheduler.forgetOutage();
    expect((await scheduler.ask(await picture())).text).toMatch(/^Test figure/);
    expect(scheduler.servers()[0]?.health).toBe('healthy');
    scheduler.close();
  });

  it('sets aside a server without the model while another has it, and stops only when none has it', async () => {
    const without = await fakeServer({ models: ['moondream:latest'] });
    const withModel = await fakeServer();
    const scheduler = new RequestScheduler([provider(without.url), provider(withModel.url)]);
    const replies = await Promise.all(Array.from({ length: 4 }, async () => scheduler.ask(await picture())));
    expect(replies).toHaveLength(4);
    expect(scheduler.servers().map((server) => server.health)).toEqual(['missing', 'healthy']);
    await expect(new RequestScheduler([provider(without.url)]).ask(await picture())).rejects.toBeInstanceOf(ModelMissingError);
  });

  it('speaks both dialects, each server with its own model name and key', async () => {
    const ollama = await fakeServer({ models: ['llava:latest'] });
    const vllm = await fakeServer({ models: ['llava-hf/llava-1.5-7b-hf'] });
    const scheduler = createScheduler(
      modelSchema.parse({
        servers: [ollama.url, { base_url: `${vllm.url}/v1`, provider: 'openai', name: 'llava-hf/llava-1.5-7b-hf', api_key_env: 'VLLM_KEY', parallel_requests: 1 }],
      }),
      { VLLM_KEY: 'sk-vllm' },
      fast,
    )!;
    expect(scheduler.id).toBe('ollama:llava:latest + openai:llava-hf/llava-1.5-7b-hf');
    await Promise.all(Array.from({ length: 12 }, async () => scheduler.ask(await picture())));
    expect(ollama.chatRequests().length).toBeGreaterThan(0);
    expect(vllm.chatRequests().length).toBeGreaterThan(0);
    expect(vllm.chatRequests().every((request) => request.api === 'openai' && request.authorization === 'Bearer sk-vllm')).toBe(true);
    expect(ollama.chatRequests().every((request) => request.api === 'ollama' && request.authorization === null)).toBe(true);
  });
});

describe('poolId', () => {
  it('is the model of a single server, as the description cache always keyed it', () => {
    expect(poolId([{ id: 'ollama:llava:latest' }, { id: 'ollama:llava:latest' }])).toBe('ollama:llava:latest');
    expect(poolId([{ id: 'openai:b' }, { id: 'ollama:a' }])).toBe('ollama:a + openai:b');
  });
});
