import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HINT_LABEL } from '../prompts';
import { FAKE_REFUSAL, startFakeModelServer, type FakeModelServer } from './fake-model-server';

let server: FakeModelServer;

beforeEach(async () => {
  server = await startFakeModelServer({ models: ['llava:latest', 'moondream:latest'] });
});

afterEach(async () => {
  await server.stop();
});

async function json(path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('fake model server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('lists, shows and versions like Ollama', async () => {
    expect(await json('/api/tags')).toMatchObject({ status: 200, body: { models: [{ name: 'llava:latest' }, { name: 'moondream:latest' }] } });
    expect(await json('/api/show', { model: 'llava' })).toMatchObject({ status: 200, body: { capabilities: ['completion', 'vision'] } });
    expect(await json('/api/show', { model: 'bakllava' })).toEqual({ status: 404, body: { error: "model 'bakllava' not found" } });
    expect(await json('/api/version')).toEqual({ status: 200, body: { version: '0.0.0-fake' } });
    expect(await json('/v1/models')).toMatchObject({ status: 200, body: { object: 'list', data: [{ id: 'llava:latest' }, { id: 'moondream:latest' }] } });
  });

  it('answers chats in both dialects and records model, prompt and picture', async () => {
    const image = Buffer.from('not really a picture').toString('base64');
    const ollama = await json('/api/chat', { model: 'llava', messages: [{ role: 'user', content: 'Describe', images: [image] }], options: { temperature: 0.1 } });
    expect(ollama).toMatchObject({ status: 200, body: { message: { role: 'assistant', content: expect.stringMatching(/^Test figure [0-9a-f]{12} /) }, done: true } });
    const openai = await json('/v1/chat/completions', {
      model: 'moondream:latest',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${image}` } }] }],
    });
    expect(openai).toMatchObject({ status: 200, body: { choices: [{ message: { content: (ollama.body as { message: { content: string } }).message.content } }] } });
    expect(server.chatRequests().map((r) => ({ model: r.model, prompt: r.prompt, bytes: r.images[0]?.bytes, format: r.images[0]?.format }))).toEqual([
      { model: 'llava', prompt: 'Describe', bytes: 20, format: null },
      { model: 'moondream:latest', prompt: 'Describe', bytes: 20, format: null },
    ]);
  });

  it('serves at most its slots at once, however many chats wait, and answers busy when the queue is full', async () => {
    server.capacity({ slots: 2, latencyMs: 50, maxQueued: 5 });
    const chat = () => json('/api/chat', { model: 'llava', messages: [{ role: 'user', content: 'Describe' }] });
    const answers = await Promise.all(Array.from({ length: 8 }, chat));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 503]);
    expect(server.slotStats()).toMatchObject({ served: 7, peakInService: 2, peakWaiting: 5, turnedAway: 1 });
  });

  it("answers differently when the prompt carries a reviewer's hint, naming it", async () => {
    const image = Buffer.from('a radiograph').toString('base64');
    const ask = async (prompt: string) =>
      ((await json('/api/chat', { model: 'llava', messages: [{ role: 'user', content: prompt, images: [image] }] })).body as { message: { content: string } }).message.content;
    const plain = await ask('Describe');
    const hinted = await ask(`Describe\n\n${HINT_LABEL}: name the fracture line\n\nWrite the alt text`);
    expect(plain).toMatch(/^Test figure [0-9a-f]{12} /);
    expect(hinted).toMatch(/^Revised figure [0-9a-f]{12}: name the fracture line\.$/);
    expect(hinted.slice(15, 27)).toBe(plain.slice(12, 24));
  });

  it('plays scripted behaviour: status, refusal, garbage and setModels', async () => {
    server.script((request) => (request.index === 0 ? { status: 503 } : request.index === 1 ? { refusal: true } : { garbage: true }));
    expect(await json('/api/chat', { model: 'llava', messages: [] })).toEqual({ status: 503, body: { error: 'fake server error 503' } });
    expect(await json('/api/chat', { model: 'llava', messages: [] })).toMatchObject({ body: { message: { content: FAKE_REFUSAL } } });
    const garbage = await fetch(`${server.url}/api/chat`, { method: 'POST', body: '{}' });
    await expect(garbage.json()).rejects.toThrow();
    server.script(() => undefined);
    server.setModels([]);
    expect(await json('/api/chat', { model: 'llava', messages: [] })).toEqual({
      status: 404,
      body: { error: 'model "llava" not found, try pulling it first' },
    });
  });

  it('hangs chats in hang mode while the version and the model lists still answer, as a wedged Ollama', async () => {
    server.script(() => ({ hang: true }));
    const chat = fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llava', messages: [] }), signal: AbortSignal.timeout(500) });
    await expect(chat).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await json('/api/version')).toEqual({ status: 200, body: { version: '0.0.0-fake' } });
    expect(await json('/api/tags')).toMatchObject({ status: 200, body: { models: [{ name: 'llava:latest' }, { name: 'moondream:latest' }] } });
    expect(await json('/v1/models')).toMatchObject({ status: 200 });
    expect(server.chatRequests()).toHaveLength(1);
    server.script(() => undefined);
    expect(await json('/api/chat', { model: 'llava', messages: [] })).toMatchObject({ status: 200, body: { done: true } });
  });

  it('stops promptly while an answer is still delayed', async () => {
    server.script(() => ({ delayMs: 60_000 }));
    const pending = fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llava', messages: [] }) }).catch((error: Error) => error);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await server.stop();
    // Not the 60 s delay (a generous bound: CI's cores may be busy).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
