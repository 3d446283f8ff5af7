import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyHeaders, backoffDelay, modelMatches, probeOnce, probeTimeoutMs, retryAfterMs, retryPolicyFor, sendOnce, serverErrorMessage, type RequestClock, type RetryPolicy } from './model-http';

const policy: RetryPolicy = { timeoutMs: 1_000, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, refusedRetryDelayMs: 10 };

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

describe('sendOnce', () => {
  it('hands back 2xx and 4xx answers, and classifies 5xx and 429 as server errors with their Retry-After', async () => {
    const statuses = [200, 400, 503, 429, 500];
    const url = await listen((_req, res) => {
      const status = statuses.shift() ?? 200;
      res.writeHead(status, status === 503 ? { 'retry-after': '2' } : status === 429 ? { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' } : {});
      res.end(`{"status":${status}}`);
    });
    expect(await sendOnce(url, {}, {}, 1_000)).toEqual({ ok: true, answer: { status: 200, text: '{"status":200}' } });
    expect(await sendOnce(url, {}, {}, 1_000)).toEqual({ ok: true, answer: { status: 400, text: '{"status":400}' } });
    expect(await sendOnce(url, {}, {}, 1_000)).toEqual({ ok: false, failure: { kind: 'server-error', status: 503, text: '{"status":503}', retryAfterMs: 2_000 } });
    const limited = await sendOnce(url, {}, {}, 1_000);
    expect(limited).toMatchObject({ ok: false, failure: { kind: 'server-error', status: 429 } });
    expect(!limited.ok && limited.failure.kind === 'server-error' && limited.failure.retryAfterMs).toBeGreaterThan(1_000_000);
    expect(await sendOnce(url, {}, {}, 1_000)).toMatchObject({ ok: false, failure: { kind: 'server-error', status: 500, retryAfterMs: null } });
  });

  it('counts its timeout from each moment its clock starts, not from when it was sent', async () => {
    const url = await listen((_req, res) => {
      setTimeout(() => res.end('{}'), 1_200);
    });
    expect(await sendOnce(url, {}, {}, 800)).toEqual({ ok: false, failure: { kind: 'timeout' } });
    // Its clock starts at 100 ms (800 ms would end at 900 ms), then again at 700 ms (the
    // scheduler learnt that the slot was another's): the answer at 1.2 s is in time.
    const starts: (() => void)[] = [];
    const clock: RequestClock = { onStart: (start) => starts.push(start) };
    setTimeout(() => starts.forEach((start) => start()), 100);
    setTimeout(() => starts.forEach((start) => start()), 700);
    expect(await sendOnce(url, {}, {}, 800, undefined, clock)).toEqual({ ok: true, answer: { status: 200, text: '{}' } });
    // Started once, at 100 ms: timed out.
    const once: RequestClock = { onStart: (start) => setTimeout(start, 100) };
    expect(await sendOnce(url, {}, {}, 800, undefined, once)).toEqual({ ok: false, failure: { kind: 'timeout' } });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(retryAfterMs('1.5', now)).toBe(1_500);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(retryAfterMs('-1', now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
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
