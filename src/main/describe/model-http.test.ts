import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelRequestError, ModelUnavailableError } from './model-errors';
import {
  apiKeyHeaders,
  backoffDelay,
  modelMatches,
  postJson,
  probeOnce,
  probeTimeoutMs,
  retryPolicyFor,
  serverErrorMessage,
  type RetryPolicy,
} from './model-http';

const policy: RetryPolicy = { timeoutMs: 1_000, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, refusedRetryDelayMs: 10 };
const server = { baseUrl: 'http://model.test', unreachableFix: 'Start it.', restartFix: 'Restart it.' };

let close: (() => Promise<void>) | null = null;

afterEach(async () => {
  await close?.();
  close = null;
});

async function listen(handler: http.RequestListener): Promise<string> {
  const instance = http.createServer(handler);
  await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise<void>((resolve) => {
      instance.close(() => resolve());
      instance.closeAllConnections();
    });
  return `http://127.0.0.1:${(instance.address() as AddressInfo).port}`;
}

describe('backoffDelay', () => {
  it('doubles per retry, with jitter between half and all of it, up to the cap', () => {
    expect([0, 1, 2].map((retry) => backoffDelay(policy, retry, () => 1))).toEqual([100, 200, 400]);
    expect([0, 1, 2].map((retry) => backoffDelay(policy, retry, () => 0))).toEqual([50, 100, 200]);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1_000);
  });
});

describe('postJson', () => {
  it('waits as long as a 503 answer’s Retry-After asks, within the cap', async () => {
    const times: number[] = [];
    const url = await listen((_req, res) => {
      times.push(Date.now());
      if (times.length === 1) {
        res.writeHead(503, { 'retry-after': '0.4', 'content-type': 'application/json' });
        res.end('{"error":"loading model"}');
      } else {
        res.end('{"ok":true}');
      }
    });
    const answer = await postJson(`${url}/api/chat`, {}, {}, { ...policy, baseDelayMs: 1 }, server);
    expect(answer).toEqual({ status: 200, text: '{"ok":true}' });
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(380);
  });

  it('hands 4xx answers back without retrying', async () => {
    let count = 0;
    const url = await listen((_req, res) => {
      count++;
      res.writeHead(400);
      res.end('bad');
    });
    expect(await postJson(url, {}, {}, policy, server)).toEqual({ status: 400, text: 'bad' });
    expect(count).toBe(1);
  });

  it('retries 429 like a server error', async () => {
    let count = 0;
    const url = await listen((_req, res) => {
      count++;
      res.writeHead(count === 1 ? 429 : 200);
      res.end('{}');
    });
    expect(await postJson(url, {}, {}, { ...policy, baseDelayMs: 1 }, server)).toEqual({ status: 200, text: '{}' });
    expect(count).toBe(2);
  });
});

describe('postJson after a timeout', () => {
  /** A server that reads every request and answers only those `answers` accepts; the rest hang. */
  async function wedged(answers: (body: string) => boolean): Promise<{ url: string; bodies: string[] }> {
    const bodies: string[] = [];
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        if (answers(body)) res.end('{"ok":true}');
      });
    });
    return { url, bodies };
  }

  it('ends at once, as unreachable, when the server answers no minimal request either (a wedged server)', async () => {
    const { url, bodies } = await wedged(() => false);
    const probe = () => probeOnce(url, { probe: true }, {}, 200);
    const failure = postJson(url, { picture: true }, {}, { ...policy, timeoutMs: 200, baseDelayMs: 1 }, server, undefined, probe);
    await expect(failure).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(failure).rejects.toThrow(
      'The model server at http://model.test accepts connections but answers nothing: no answer to a picture within 0.2 s, nor to a minimal request (no answer within 0.2 s). Restart it.',
    );
    // One picture request and one probe, not the four attempts of max_retries.
    expect(bodies).toEqual(['{"picture":true}', '{"probe":true}']);
  });

  it('retries as usual when the server answers a minimal request (it is only slow on this picture)', async () => {
    const { url, bodies } = await wedged((body) => body.includes('probe'));
    const probe = () => probeOnce(url, { probe: true }, {}, 1_000);
    const failure = postJson(url, { picture: true }, {}, { ...policy, timeoutMs: 200, maxRetries: 1, baseDelayMs: 1 }, server, undefined, probe);
    await expect(failure).rejects.toBeInstanceOf(ModelRequestError);
    await expect(failure).rejects.toThrow(/gave no answer within 0\.2 s \(2 attempts\)/);
    expect(bodies.filter((body) => body.includes('picture'))).toHaveLength(2);
  });
});

describe('probeOnce', () => {
  it('counts any HTTP answer, an error status too, as answering', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(500);
      res.end('{"error":"model failed to load"}');
    });
    expect(await probeOnce(url, {}, {}, 1_000)).toEqual({ answering: true });
  });

  it('says when nothing listens', async () => {
    const url = await listen(() => undefined);
    await close?.();
    close = null;
    expect(await probeOnce(url, {}, {}, 1_000)).toEqual({ answering: false, problem: 'unreachable', detail: 'connection refused' });
  });

  it('waits at most model.timeout_seconds, and never more than 30 s', () => {
    expect(probeTimeoutMs({ timeout_seconds: 1 })).toBe(1_000);
    expect(probeTimeoutMs({ timeout_seconds: 180 })).toBe(30_000);
  });
});

describe('serverErrorMessage', () => {
  it.each([
    ['{"error":"model \\"llava\\" not found, try pulling it first"}', 'model "llava" not found, try pulling it first'],
    ['{"error":{"message":"The model `x` does not exist.","code":"model_not_found"}}', 'The model `x` does not exist.'],
    ['{"object":"error","message":"Bad request"}', 'Bad request'],
    ['{"detail":"Not Found"}', 'Not Found'],
    ['<html><body><h1>502 Bad Gateway</h1></body></html>', '502 Bad Gateway'],
    ['', ''],
  ])('reads %j', (text, message) => {
    expect(serverErrorMessage(text)).toBe(message);
  });

  it('shortens long messages', () => {
    expect(serverErrorMessage('x'.repeat(1_000))).toHaveLength(300);
  });
});

describe('helpers', () => {
  it('builds the retry policy from model config', () => {
    expect(retryPolicyFor({ timeout_seconds: 180, max_retries: 2 })).toEqual({
      timeoutMs: 180_000,
      maxRetries: 2,
      baseDelayMs: 2_000,
      maxDelayMs: 30_000,
      refusedRetryDelayMs: 500,
    });
  });

  it('sends a key only when the named variable is set and not blank', () => {
    expect(apiKeyHeaders('KEY', { KEY: 'abc' })).toEqual({ authorization: 'Bearer abc' });
    expect(apiKeyHeaders('KEY', { KEY: '  ' })).toEqual({});
    expect(apiKeyHeaders(null, { KEY: 'abc' })).toEqual({});
  });

  it('matches Ollama model names with and without tags', () => {
    expect(modelMatches('llava:latest', 'llava')).toBe(true);
    expect(modelMatches('llava:13b', 'llava')).toBe(true);
    expect(modelMatches('llava:13b', 'llava:7b')).toBe(false);
    expect(modelMatches('bakllava:latest', 'llava')).toBe(false);
  });
});
