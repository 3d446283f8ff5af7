import { assertNever } from '../../shared/assert-never';
import { ModelRequestError, ModelUnavailableError } from './model-errors';

/**
 * The HTTP exchange both providers share: one request, with a timeout, classified by every way
 * it can end (`sendOnce`); the GETs of the server checks; the minimal request that tells a slow
 * server from one that has stopped answering (`probeOnce`); and the sentences for each failure.
 * Retries, backoff, Retry-After and moving a request to another server are the scheduler's
 * (request-scheduler.ts).
 *
 * Messages name the server's address, never the request headers (API keys).
 *
 * Caveat: Node's fetch (undici) gives up on its own after 300 s without response headers,
 * so a `model.timeout_seconds` above 300 acts as 300; that failure is classified as a timeout.
 */

export interface RetryPolicy {
  /** How long one attempt may take, answer body included. */
  readonly timeoutMs: number;
  /** Retries after timeouts, 5xx answers and dropped connections. */
  readonly maxRetries: number;
  /** First backoff delay; doubled per retry, with jitter, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Delay before the single retry of a refused connection. */
  readonly refusedRetryDelayMs: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

export interface ServerDescription {
  /** The configured base URL, shown in messages. */
  readonly baseUrl: string;
  /** What to do when the server cannot be reached (`Start Ollama with ollama serve`). */
  readonly unreachableFix: string;
  /** What to do when it accepts connections but answers nothing (restart it). */
  readonly restartFix: string;
}

/** What a minimal request found: the server answers (whatever it says), or not at all. */
export type ProbeResult =
  | { readonly answering: true }
  | { readonly answering: false; readonly problem: 'unreachable' | 'silent'; readonly detail: string };

/**
 * The longest a probe waits. A loaded model answers a one-token request in well under a
 * second; this leaves room for loading it, and a probe never waits longer than a description
 * may take (`model.timeout_seconds`).
 */
export const PROBE_TIMEOUT_MAX_MS = 30_000;

export function probeTimeoutMs(model: { readonly timeout_seconds: number }): number {
  return Math.min(model.timeout_seconds * 1000, PROBE_TIMEOUT_MAX_MS);
}

/** How one attempt failed: everything but an answer the provider can read (2xx, or a 4xx it turns into its own error). */
export type AttemptFailure =
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'dropped-before-answer'; readonly detail: string }
  | { readonly kind: 'dropped-mid-answer'; readonly detail: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'server-error'; readonly status: number; readonly text: string; readonly retryAfterMs: number | null };

export type AttemptResult = { readonly ok: true; readonly answer: HttpAnswer } | { readonly ok: false; readonly failure: AttemptFailure };

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const UNREACHABLE_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Joins a base URL (with or without trailing slashes) and an absolute path. */
export function joinUrl(base: string, suffix: string): string {
  return base.replace(/\/+$/, '') + suffix;
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
}

/** Retry-After in seconds, or as an HTTP date (RFC 9110), in ms from now. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * When a request's timeout counts from. The scheduler starts it once the server has (as far as
 * it can tell) begun the request, and may start it again, afresh, when it learns that the
 * server was busy with another request instead (see request-scheduler.ts).
 */
export interface RequestClock {
  /** Calls `start` each time the clock starts (at once if it already has). */
  onStart(start: () => void): void;
}

/**
 * One request with its own timeout; classifies every way it can fail. The timeout counts from
 * each start of `clock` when one is given (a request waiting its turn in the server's own queue
 * is not late yet: see request-scheduler.ts), else from now.
 */
async function attempt(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  clock?: RequestClock,
): Promise<AttemptResult> {
  const timeout = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const startClock = (): void => {
    if (settled || timeout.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => timeout.abort(new DOMException('model request timed out', 'TimeoutError')), timeoutMs);
  };
  if (clock) clock.onStart(startClock);
  else startClock();
  const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  let response: Response;
  try {
    try {
      response = await fetch(url, { ...init, signal: combined });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.signal.aborted) return { ok: false, failure: { kind: 'timeout' } };
      const code = causeCode(error);
      if (code !== undefined && TIMEOUT_CODES.has(code)) return { ok: false, failure: { kind: 'timeout' } };
      if (code === undefined || UNREACHABLE_CODES.has(code)) return { ok: false, failure: { kind: 'unreachable', detail: code ?? causeMessage(error) } };
      return { ok: false, failure: { kind: 'dropped-before-answer', detail: code } };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.signal.aborted) return { ok: false, failure: { kind: 'timeout' } };
      const code = causeCode(error);
      if (code !== undefined && TIMEOUT_CODES.has(code)) return { ok: false, failure: { kind: 'timeout' } };
      return { ok: false, failure: { kind: 'dropped-mid-answer', detail: code ?? causeMessage(error) } };
    }
    if (response.status >= 500 || response.status === 429) {
      return {
        ok: false,
        failure: { kind: 'server-error', status: response.status, text, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) },
      };
    }
    return { ok: true, answer: { status: response.status, text } };
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/** POSTs a JSON body once (no retries): the answer, or how it failed, or the caller's abort reason thrown. */
export function sendOnce(
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  signal?: AbortSignal,
  clock?: RequestClock,
): Promise<AttemptResult> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  };
  return attempt(url, init, timeoutMs, signal, clock);
}

/** Exponential backoff with jitter: between half and all of base·2^retry, capped. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** The server's own error sentence from a JSON or text body, shortened for messages. */
export function serverErrorMessage(text: string): string {
  let message: unknown;
  try {
    const body = JSON.parse(text) as Record<string, unknown> | null;
    const error = body?.['error'];
    message =
      typeof error === 'string'
        ? error
        : typeof (error as { message?: unknown } | undefined)?.message === 'string'
          ? (error as { message: string }).message
          : (body?.['message'] ?? body?.['detail']);
  } catch {
    message = text.replace(/<[^>]*>/g, ' ');
  }
  const clean = typeof message === 'string' ? message.replace(/\s+/g, ' ').trim() : '';
  return clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
}

function attempts(count: number): string {
  return count === 1 ? '1 attempt' : `${count} attempts`;
}

/** The error a request ends with once it has failed `tries` times in this way. */
export function failureError(failure: AttemptFailure, tries: number, server: ServerDescription, policy: RetryPolicy): Error {
  switch (failure.kind) {
    case 'unreachable':
      return new ModelUnavailableError(
        `Could not reach the model server at ${server.baseUrl} (${UNREACHABLE_REASONS[failure.detail] ?? failure.detail}). ${server.unreachableFix}`,
      );
    case 'dropped-before-answer':
      return new ModelUnavailableError(
        `The model server at ${server.baseUrl} closed the connection without answering (${attempts(tries)}). ${server.unreachableFix}`,
      );
    case 'dropped-mid-answer':
      return new ModelRequestError(`The model server at ${server.baseUrl} closed the connection in the middle of its answer (${attempts(tries)}).`);
    case 'timeout':
      return new ModelRequestError(
        `The model server at ${server.baseUrl} gave no answer within ${policy.timeoutMs / 1000} s (${attempts(tries)}). ` +
          'Vision models are slow on a CPU: raise model.timeout_seconds or use a smaller model.',
      );
    case 'server-error': {
      const detail = serverErrorMessage(failure.text);
      return new ModelRequestError(`The model server at ${server.baseUrl} failed with HTTP ${failure.status} (${attempts(tries)})${detail ? `: ${detail}` : '.'}`);
    }
    default:
      return assertNever(failure, 'request failure');
  }
}

/** A picture's request timed out and a minimal request then went unanswered too: the server has stopped answering. */
export function silentServerError(server: ServerDescription, policy: RetryPolicy, probe: Extract<ProbeResult, { answering: false }>): ModelUnavailableError {
  const after = probe.problem === 'silent' ? `nor to a minimal request (${probe.detail})` : `and then could not be reached at all (${probe.detail})`;
  return new ModelUnavailableError(
    `The model server at ${server.baseUrl} accepts connections but answers nothing: no answer to a picture within ${policy.timeoutMs / 1000} s, ${after}. ${server.restartFix}`,
  );
}

export type GetResult =
  | { readonly ok: true; readonly answer: HttpAnswer }
  | { readonly ok: false; readonly problem: 'unreachable' | 'timeout' | 'bad-answer'; readonly detail: string };

/** One GET without retries, for the server checks (`/api/tags`, `/v1/models`). */
export async function getOnce(url: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<GetResult> {
  const result = await attempt(url, { headers: { accept: 'application/json', ...headers } }, timeoutMs, undefined);
  if (result.ok) return result;
  const { failure } = result;
  switch (failure.kind) {
    case 'unreachable':
      return { ok: false, problem: 'unreachable', detail: 'connection failed' };
    case 'dropped-before-answer':
      return { ok: false, problem: 'unreachable', detail: 'connection closed without an answer' };
    case 'timeout':
      return { ok: false, problem: 'timeout', detail: `no answer within ${timeoutMs / 1000} s` };
    case 'dropped-mid-answer':
      return { ok: false, problem: 'bad-answer', detail: 'connection closed in the middle of the answer' };
    case 'server-error':
      return { ok: false, problem: 'bad-answer', detail: `HTTP ${failure.status}` };
    default:
      return assertNever(failure, 'request failure');
  }
}

/**
 * One POST without retries, to learn whether the server answers at all: any HTTP answer
 * counts, an error status too (a server that says 500 is answering). Only the caller's own
 * abort is thrown.
 */
export async function probeOnce(
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  };
  const result = await attempt(url, init, timeoutMs, signal);
  if (result.ok) return { answering: true };
  const { failure } = result;
  switch (failure.kind) {
    case 'server-error':
    case 'dropped-mid-answer':
      return { answering: true };
    case 'timeout':
      return { answering: false, problem: 'silent', detail: `no answer within ${timeoutMs / 1000} s` };
    case 'unreachable':
      return { answering: false, problem: 'unreachable', detail: UNREACHABLE_REASONS[failure.detail] ?? failure.detail };
    case 'dropped-before-answer':
      return { answering: false, problem: 'silent', detail: 'the connection was closed without an answer' };
    default:
      return assertNever(failure, 'request failure');
  }
}

/** Tuning the tests shorten; the defaults suit a real server. */
export interface RetryTiming {
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  readonly refusedRetryDelayMs?: number;
}

export function retryPolicyFor(
  model: { readonly timeout_seconds: number; readonly max_retries: number },
  timing: RetryTiming = {},
): RetryPolicy {
  return {
    timeoutMs: model.timeout_seconds * 1000,
    maxRetries: model.max_retries,
    baseDelayMs: timing.retryBaseDelayMs ?? 2000,
    maxDelayMs: timing.retryMaxDelayMs ?? 30_000,
    refusedRetryDelayMs: timing.refusedRetryDelayMs ?? 500,
  };
}

/** The Bearer header, only when `model.api_key_env` names a variable that is set. */
export function apiKeyHeaders(apiKeyEnv: string | null, env: NodeJS.ProcessEnv): Record<string, string> {
  const key = apiKeyEnv ? env[apiKeyEnv]?.trim() : undefined;
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** `llava` matches `llava`, `llava:latest` and `llava:13b`; `llava:13b` only itself. */
export function modelMatches(available: string, wanted: string): boolean {
  return available === wanted || available === `${wanted}:latest` || (!wanted.includes(':') && available.split(':')[0] === wanted);
}

/** Parses a JSON body, or null when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function snippet(text: string, max = 80): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

/** A 4xx that is not "model missing": the key, a model that cannot see, or the server's reason. */
export function refusedRequestError(
  model: { readonly base_url: string; readonly name: string; readonly api_key_env: string | null },
  status: number,
  text: string,
): ModelRequestError {
  const detail = serverErrorMessage(text);
  if (status === 401 || status === 403) {
    const keyHint = model.api_key_env
      ? `Check the key in the environment variable ${model.api_key_env}.`
      : 'Set model.api_key_env to the name of the environment variable that holds the key.';
    return new ModelRequestError(`The model server at ${model.base_url} refused the request (HTTP ${status}). ${keyHint}`);
  }
  if (/\b(image|images|vision|multimodal)\b/i.test(detail)) {
    return new ModelRequestError(`The model "${model.name}" cannot read pictures (${detail}). Set model.name to a vision model such as llava.`);
  }
  return new ModelRequestError(`The model server at ${model.base_url} refused the request (HTTP ${status})${detail ? `: ${detail}` : '.'}`);
}
