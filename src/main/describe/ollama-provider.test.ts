import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelSchema } from '../../shared/config-schema';
import { cleanAnswer } from './clean-answer';
import { createProvider } from './create-provider';
import { ModelMissingError, ModelRequestError, ModelUnavailableError, type DescribeRequest } from './model-provider';
import { fakeDescriptionFor, startFakeModelServer, type FakeModelServer } from './testing/fake-model-server';

const fastRetries = { retryBaseDelayMs: 10, retryMaxDelayMs: 50, refusedRetryDelayMs: 10 };

let server: FakeModelServer;

beforeEach(async () => {
  server = await startFakeModelServer({ models: ['llava:latest', 'llama3:latest'] });
});

afterEach(async () => {
  await server.stop();
});

function ollama(overrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
  return createProvider(modelSchema.parse({ base_url: server.url, timeout_seconds: 2, max_retries: 2, ...overrides }), env, fastRetries)!;
}

async function picture(colour: string): Promise<DescribeRequest> {
  const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).png().toBuffer();
  return { image, mime: 'image/png', prompt: 'Describe this picture for the slide "Brachial plexus".', system: 'You write alt text.' };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('OllamaProvider', () => {
  it('sends one /api/chat request per picture, without shared history, and returns message.content', async () => {
    const provider = ollama({ temperature: 0.3 });
    const red = await picture('#ff0000');
    const blue = await picture('#0000ff');
    expect(provider.id).toBe('ollama:llava:latest');
    expect(await provider.describe(red)).toBe(fakeDescriptionFor(sha256(red.image)));
    expect(await provider.describe(blue)).toBe(fakeDescriptionFor(sha256(blue.image)));
    const [first, second] = server.chatRequests();
    expect(first).toMatchObject({ api: 'ollama', method: 'POST', path: '/api/chat', model: 'llava', temperature: 0.3 });
    expect(first?.body).toMatchObject({
      model: 'llava',
      stream: false,
      messages: [
        { role: 'system', content: 'You write alt text.' },
        { role: 'user', content: red.prompt, images: [red.image.toString('base64')] },
      ],
    });
    expect((second?.body as { messages: unknown[] }).messages).toHaveLength(2);
    expect(second?.images).toEqual([{ bytes: blue.image.length, sha256: sha256(blue.image), format: 'png', width: 64, height: 48 }]);
  });

  it('waits for a slow answer that comes within the timeout', async () => {
    server.script(() => ({ delayMs: 400, text: 'Slow but fine.' }));
    expect(await ollama({ timeout_seconds: 3 }).describe(await picture('#00ff00'))).toBe('Slow but fine.');
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('retries a request that times out and then fails with a message naming the timeout', async () => {
    // Only the picture is slow: the minimal request asked after each timeout is answered.
    server.script((request) => (request.images.length > 0 ? { delayMs: 60_000 } : undefined));
    const started = Date.now();
    const failure = ollama({ timeout_seconds: 0.2, max_retries: 2 }).describe(await picture('#00ff00'));
    await expect(failure).rejects.toBeInstanceOf(ModelRequestError);
    await expect(failure).rejects.toMatchObject({ code: 'EMODEL_REQUEST', message: expect.stringMatching(/no answer within 0\.2 s \(3 attempts\).*model\.timeout_seconds/) });
    expect(server.chatRequests().filter((r) => r.images.length > 0)).toHaveLength(3);
    // Not the server's 60 s per attempt (a generous bound: CI's cores may be busy).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('reports a wedged server (chats never answered, its version and model list still are) as unavailable after one timeout', async () => {
    server.script(() => ({ hang: true }));
    const failure = ollama({ timeout_seconds: 0.3, max_retries: 2 }).describe(await picture('#00ff00'));
    await expect(failure).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(failure).rejects.toMatchObject({
      code: 'EMODEL_UNAVAILABLE',
      message: `The model server at ${server.url} accepts connections but answers nothing: no answer to a picture within 0.3 s, nor to a minimal request (no answer within 0.3 s). Restart Ollama (quit it and run \`ollama serve\`, or reopen the Ollama app).`,
    });
    // The picture once, then a minimal request without a picture: not three tries of the picture.
    expect(server.chatRequests().map((r) => r.images.length)).toEqual([1, 0]);
    expect(server.chatRequests()[1]?.body).toMatchObject({ model: 'llava', stream: false, options: { num_predict: 1 } });
    expect((await ollama().check()).ok).toBe(true);
  });

  it('retries 500 answers with backoff and succeeds when the server recovers', async () => {
    server.script((request) => (request.index < 2 ? { status: 500 } : { text: 'Recovered answer.' }));
    expect(await ollama({ max_retries: 2 }).describe(await picture('#123456'))).toBe('Recovered answer.');
    expect(server.chatRequests()).toHaveLength(3);
  });

  it('gives up after max_retries 5xx answers with the server’s own message', async () => {
    server.script(() => ({ status: 503 }));
    const failure = ollama({ max_retries: 1 }).describe(await picture('#123456'));
    await expect(failure).rejects.toBeInstanceOf(ModelRequestError);
    await expect(failure).rejects.toThrow(/HTTP 503 \(2 attempts\): fake server error 503/);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('retries when the connection drops in the middle of the answer', async () => {
    server.script((request) => (request.index === 0 ? { drop: 'mid-response' } : { text: 'Second try.' }));
    expect(await ollama().describe(await picture('#abcdef'))).toBe('Second try.');
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('fails with a request error when every answer is cut off', async () => {
    server.script(() => ({ drop: 'mid-response' }));
    await expect(ollama({ max_retries: 1 }).describe(await picture('#abcdef'))).rejects.toThrow(
      expect.objectContaining({ code: 'EMODEL_REQUEST', message: expect.stringMatching(/closed the connection in the middle of its answer \(2 attempts\)/) }),
    );
  });

  it('reports the server unavailable when it closes every connection without answering', async () => {
    server.script(() => ({ drop: 'before-response' }));
    const failure = ollama({ max_retries: 2 }).describe(await picture('#abcdef'));
    await expect(failure).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(failure).rejects.toThrow(/closed the connection without answering \(3 attempts\).*ollama serve/);
    expect(server.chatRequests()).toHaveLength(3);
  });

  it('does not retry an answer that is not JSON', async () => {
    server.script(() => ({ garbage: true }));
    await expect(ollama().describe(await picture('#abcdef'))).rejects.toThrow(
      expect.objectContaining({ code: 'EMODEL_REQUEST', message: expect.stringMatching(/not JSON: "this is not json/) }),
    );
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('passes a refusal on as the answer, which cleaning turns into needs review', async () => {
    server.script(() => ({ refusal: true }));
    const answer = await ollama().describe(await picture('#abcdef'));
    expect(answer).toMatch(/^I'm sorry/);
    expect(cleanAnswer(answer, 125)).toEqual({ needsReview: expect.stringMatching(/refused/) });
  });

  it('tells the user to pull a model the server does not have', async () => {
    const failure = ollama({ name: 'llava:13b' }).describe(await picture('#abcdef'));
    await expect(failure).rejects.toBeInstanceOf(ModelMissingError);
    await expect(failure).rejects.toMatchObject({
      code: 'EMODEL_MISSING',
      message: 'The model "llava:13b" is not on the Ollama server at ' + server.url + '. Run `ollama pull llava:13b`, then run the batch again.',
    });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('explains a model that cannot read pictures', async () => {
    const plain = http.createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'llama3 does not support images' }));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      await expect(ollama({ base_url: `http://127.0.0.1:${port}`, name: 'llama3' }).describe(await picture('#abcdef'))).rejects.toThrow(
        /"llama3" cannot read pictures \(llama3 does not support images\)\. Set model\.name to a vision model/,
      );
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it('reports a closed port as unavailable after one short retry', async () => {
    const url = server.url;
    await server.stop();
    server = await startFakeModelServer();
    const started = Date.now();
    const failure = ollama({ base_url: url }).describe(await picture('#abcdef'));
    await expect(failure).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(failure).rejects.toMatchObject({
      code: 'EMODEL_UNAVAILABLE',
      message: `Could not reach the model server at ${url} (connection refused). Start Ollama with \`ollama serve\` (or open the Ollama app), then run the batch again.`,
    });
    // One short retry, not the growing pauses of max_retries (a generous bound: CI may be busy).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('sends the API key as a Bearer token only when model.api_key_env names a set variable', async () => {
    const image = await picture('#abcdef');
    await ollama({}, { OLLAMA_KEY: 'secret-1' }).describe(image);
    await ollama({ api_key_env: 'OLLAMA_KEY' }, { OLLAMA_KEY: 'secret-2' }).describe(image);
    await ollama({ api_key_env: 'OLLAMA_KEY' }, {}).describe(image);
    expect(server.chatRequests().map((r) => r.authorization)).toEqual([null, 'Bearer secret-2', null]);
  });

  it('never puts the API key in an error message', async () => {
    server.script(() => ({ status: 401 }));
    await expect(ollama({ api_key_env: 'OLLAMA_KEY' }, { OLLAMA_KEY: 'top-secret' }).describe(await picture('#abcdef'))).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('top-secret') }),
    );
    server.script(() => ({ status: 401 }));
    await expect(ollama({ api_key_env: 'OLLAMA_KEY' }, { OLLAMA_KEY: 'top-secret' }).describe(await picture('#abcdef'))).rejects.toThrow(
      /HTTP 401\)\. Check the key in the environment variable OLLAMA_KEY\./,
    );
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    server.script(() => ({ delayMs: 2_000 }));
    const controller = new AbortController();
    const reason = new Error('batch stopped');
    setTimeout(() => controller.abort(reason), 100);
    await expect(ollama().describe(await picture('#abcdef'), controller.signal)).rejects.toBe(reason);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('accepts a base_url with a trailing slash or /api', async () => {
    expect(await ollama({ base_url: `${server.url}/` }).describe(await picture('#010203'))).toMatch(/^Test figure/);
    expect(await ollama({ base_url: `${server.url}/api/` }).describe(await picture('#010203'))).toMatch(/^Test figure/);
    expect(server.chatRequests().map((r) => r.path)).toEqual(['/api/chat', '/api/chat']);
  });

  describe('check', () => {
    it('finds the model in /api/tags', async () => {
      expect(await ollama().check()).toEqual({ ok: true, message: `Model server ${server.url} is reachable and has "llava".`, models: ['llava:latest', 'llama3:latest'] });
      expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/tags' });
    });

    it('says which command pulls a missing model', async () => {
      expect(await ollama({ name: 'llava:34b' }).check()).toMatchObject({ ok: false, problem: 'model-missing', fix: 'ollama pull llava:34b', models: ['llava:latest', 'llama3:latest'] });
    });

    it('says how to start a server that does not answer', async () => {
      const url = server.url;
      await server.stop();
      server = await startFakeModelServer();
      expect(await ollama({ base_url: url }).check()).toMatchObject({ ok: false, problem: 'unreachable', fix: expect.stringMatching(/ollama serve/) });
    });

    it('reports a server that times out or answers garbage', async () => {
      server.script(() => ({ delayMs: 1_000 }));
      expect(await ollama({ check_timeout_seconds: 0.1 }).check()).toMatchObject({ ok: false, problem: 'unreachable', message: expect.stringMatching(/no answer within 0\.1 s/) });
      server.script(() => ({ garbage: true }));
      expect(await ollama().check()).toMatchObject({ ok: false, problem: 'bad-answer' });
    });
  });
});
