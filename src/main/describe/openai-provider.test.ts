import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelSchema } from '../../shared/config-schema';
import { cleanAnswer } from './clean-answer';
import { createProvider } from './create-provider';
import { ModelMissingError, ModelRequestError, ModelUnavailableError, type DescribeRequest } from './model-provider';
import { openAiApiRoot } from './openai-provider';
import { fakeDescriptionFor, startFakeModelServer, type FakeModelServer } from './testing/fake-model-server';

const fastRetries = { retryBaseDelayMs: 10, retryMaxDelayMs: 50, refusedRetryDelayMs: 10 };

let server: FakeModelServer;

beforeEach(async () => {
  server = await startFakeModelServer({ models: ['llava-v1.6-mistral-7b'] });
});

afterEach(async () => {
  await server.stop();
});

function openai(overrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
  return createProvider(
    modelSchema.parse({ provider: 'openai', base_url: server.url, name: 'llava-v1.6-mistral-7b', timeout_seconds: 2, max_retries: 2, ...overrides }),
    env,
    fastRetries,
  )!;
}

async function picture(): Promise<DescribeRequest> {
  const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).jpeg().toBuffer();
  return { image, mime: 'image/jpeg', prompt: 'Describe the chart on the slide "Incidence by age".', system: 'You write alt text.' };
}

describe('openAiApiRoot', () => {
  it.each([
    ['http://127.0.0.1:1234', 'http://127.0.0.1:1234/v1'],
    ['http://127.0.0.1:1234/', 'http://127.0.0.1:1234/v1'],
    ['http://127.0.0.1:1234/v1', 'http://127.0.0.1:1234/v1'],
    ['http://127.0.0.1:1234/v1/', 'http://127.0.0.1:1234/v1'],
    ['http://host/llm/v1', 'http://host/llm/v1'],
  ])('maps %s to %s', (base, root) => {
    expect(openAiApiRoot(base)).toBe(root);
  });
});

describe('OpenAiProvider', () => {
  it('posts the picture as a data URL to /v1/chat/completions and returns choices[0].message.content', async () => {
    const request = await picture();
    const provider = openai({ temperature: 0 });
    expect(provider.id).toBe('openai:llava-v1.6-mistral-7b');
    const answer = await provider.describe(request);
    expect(answer).toBe(fakeDescriptionFor(createHash('sha256').update(request.image).digest('hex')));
    const [sent] = server.chatRequests();
    expect(sent).toMatchObject({ api: 'openai', path: '/v1/chat/completions', model: 'llava-v1.6-mistral-7b', temperature: 0, authorization: null });
    expect(sent?.body).toMatchObject({
      stream: false,
      messages: [
        { role: 'system', content: 'You write alt text.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: request.prompt },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${request.image.toString('base64')}` } },
          ],
        },
      ],
    });
    expect(sent?.images[0]).toMatchObject({ format: 'jpeg', width: 40, height: 30 });
  });

  it('works whether or not base_url ends in /v1', async () => {
    await openai({ base_url: `${server.url}/v1` }).describe(await picture());
    await openai({ base_url: `${server.url}/v1/` }).describe(await picture());
    await openai({ base_url: `${server.url}/` }).describe(await picture());
    expect(server.chatRequests().map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions', '/v1/chat/completions']);
  });

  it('sends the key from model.api_key_env as a Bearer token, and nothing when none is configured', async () => {
    await openai({ api_key_env: 'LMSTUDIO_KEY' }, { LMSTUDIO_KEY: 'sk-local-123' }).describe(await picture());
    await openai({}, { LMSTUDIO_KEY: 'sk-local-123', OPENAI_API_KEY: 'sk-other' }).describe(await picture());
    expect(server.chatRequests().map((r) => r.authorization)).toEqual(['Bearer sk-local-123', null]);
    await openai({ api_key_env: 'LMSTUDIO_KEY' }, { LMSTUDIO_KEY: 'sk-local-123' }).check();
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1/models', authorization: 'Bearer sk-local-123' });
  });

  it('tells the user to load a model the server does not serve', async () => {
    const failure = openai({ name: 'gpt-4o' }).describe(await picture());
    await expect(failure).rejects.toBeInstanceOf(ModelMissingError);
    await expect(failure).rejects.toMatchObject({
      code: 'EMODEL_MISSING',
      message: `The model "gpt-4o" is not available on the server at ${server.url}. Load the model in the server, or change model.name to one it serves.`,
    });
  });

  it('recognises model_not_found on a 400 answer too', async () => {
    const strict = http.createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'no such model', code: 'model_not_found' } }));
    });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = strict.address() as AddressInfo;
      await expect(openai({ base_url: `http://127.0.0.1:${port}` }).describe(await picture())).rejects.toBeInstanceOf(ModelMissingError);
    } finally {
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    }
  });

  it('retries 500 answers and timeouts, then succeeds', async () => {
    server.script((request) => (request.index === 0 ? { status: 500 } : request.index === 1 ? { delayMs: 1_500 } : { text: 'Bar chart of incidence by age.' }));
    expect(await openai({ timeout_seconds: 0.3, max_retries: 2 }).describe(await picture())).toBe('Bar chart of incidence by age.');
    // Three tries of the picture, and after the timeout one minimal request that was answered.
    expect(server.chatRequests().filter((r) => r.images.length > 0)).toHaveLength(3);
    expect(server.chatRequests().filter((r) => r.images.length === 0)).toMatchObject([{ body: { max_tokens: 1 } }]);
  });

  it('fails after the last retry of a timeout while the server answers a minimal request', async () => {
    server.script((request) => (request.images.length > 0 ? { delayMs: 1_500 } : undefined));
    await expect(openai({ timeout_seconds: 0.2, max_retries: 1 }).describe(await picture())).rejects.toThrow(
      expect.objectContaining({ code: 'EMODEL_REQUEST', message: expect.stringMatching(/no answer within 0\.2 s \(2 attempts\)/) }),
    );
  });

  it('reports a server that accepts the request and never answers (its model list still does) as unavailable, at once', async () => {
    server.script(() => ({ hang: true }));
    const failure = openai({ timeout_seconds: 0.3, max_retries: 2 }).describe(await picture());
    await expect(failure).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(failure).rejects.toThrow(/accepts connections but answers nothing.*Restart the model server/);
    expect(server.chatRequests().map((r) => r.images.length)).toEqual([1, 0]);
  });

  it('retries a dropped connection and reports garbage as a request error', async () => {
    server.script((request) => (request.index === 0 ? { drop: 'mid-response' } : { garbage: true }));
    const failure = openai().describe(await picture());
    await expect(failure).rejects.toBeInstanceOf(ModelRequestError);
    await expect(failure).rejects.toThrow(/not JSON/);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('passes refusals on so that cleaning marks them for review', async () => {
    server.script(() => ({ refusal: true }));
    const answer = await openai().describe(await picture());
    expect(cleanAnswer(answer, 125)).toMatchObject({ needsReview: expect.any(String) });
  });

  it('reads the refusal field and content given as parts', async () => {
    const answers = [
      { choices: [{ message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' } }] },
      { choices: [{ message: { role: 'assistant', content: [{ type: 'text', text: 'Pie chart' }, { type: 'text', text: 'of causes.' }] } }] },
    ];
    const scripted = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers.shift()));
    });
    await new Promise<void>((resolve) => scripted.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = scripted.address() as AddressInfo;
      const provider = openai({ base_url: `http://127.0.0.1:${port}/v1` });
      expect(await provider.describe(await picture())).toBe('I cannot help with that.');
      expect(await provider.describe(await picture())).toBe('Pie chart of causes.');
    } finally {
      await new Promise<void>((resolve) => scripted.close(() => resolve()));
    }
  });

  it('reports a closed port as unavailable', async () => {
    const url = server.url;
    await server.stop();
    server = await startFakeModelServer();
    await expect(openai({ base_url: url }).describe(await picture())).rejects.toBeInstanceOf(ModelUnavailableError);
  });

  describe('check', () => {
    it('finds the model in /v1/models', async () => {
      expect(await openai({ base_url: `${server.url}/v1` }).check()).toMatchObject({ ok: true });
      expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models' });
    });

    it('says how to fix a model the server does not list', async () => {
      expect(await openai({ name: 'gpt-4o' }).check()).toMatchObject({
        ok: false,
        problem: 'model-missing',
        fix: 'Load "gpt-4o" in the server, or set model.name to one it serves.',
      });
    });
  });
});
