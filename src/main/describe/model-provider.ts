import type { AttemptFailure, ProbeResult, RequestClock, RetryPolicy, ServerDescription } from './model-http';

export { ModelError, ModelMissingError, ModelRequestError, ModelUnavailableError, ModelUnusableError } from './model-errors';
export type { ModelErrorCode } from './model-errors';

/**
 * A local vision-language model behind HTTP. One request is one picture: no shared history
 * (LLaVA drifts when pictures share a conversation). Three views of it:
 * - `ModelServer`: one server, one attempt at a time (what the scheduler drives);
 * - `ModelRequests`: "describe this picture" with retries, and over every configured server
 *   (what the processor needs: the scheduler of request-scheduler.ts, in the processor or, in a
 *   batch, in the runner);
 * - `ModelProvider`: one configured server that is both (create-provider.ts).
 * They throw the errors of `model-errors.ts` and nothing else, except the caller's own abort
 * reason. This file is the interfaces only.
 */
export interface DescribeRequest {
  readonly image: Buffer;
  readonly mime: 'image/png' | 'image/jpeg';
  readonly prompt: string;
  readonly system: string;
  /**
   * The picture's description cache key: requests with the same key asked while one is out
   * share its answer (one call per picture, whichever decks show it at the same time).
   */
  readonly key?: string;
}

/** The model's raw answer (clean it with `cleanAnswer`), and which model gave it. */
export interface ModelReply {
  readonly text: string;
  /** The provider id of the server that answered (`ollama:llava:latest`). */
  readonly model: string;
  /** Another request for the same picture was out already: this is its answer, and no call of its own. */
  readonly shared: boolean;
}

/** Pictures in, answers out, over however many servers; what the processor uses. */
export interface ModelRequests {
  /**
   * The model, as the description cache keys it: `ollama:llava:latest`; with several servers
   * of different models, each once, sorted, joined by ' + '.
   */
  readonly id: string;
  ask(request: DescribeRequest, signal?: AbortSignal): Promise<ModelReply>;
  /** How many requests the servers can take at once now: how far ahead pictures are worth preparing. */
  capacity(): number;
}

/** One attempt at one server: the model's answer text, or how the exchange failed. */
export type SendResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly failure: AttemptFailure };

/**
 * Is the configured server reachable and is the model on it? A sentence, and the command
 * that fixes the problem. The dry run shows it; the processor may ask before its first picture.
 */
export type ModelCheck =
  | { readonly ok: true; readonly message: string; /** The models the server lists. */ readonly models?: readonly string[] }
  | {
      readonly ok: false;
      readonly problem: 'unreachable' | 'model-missing' | 'bad-answer';
      readonly message: string;
      readonly fix: string;
      /** The models the server lists, when it answered with its list. */
      readonly models?: readonly string[];
    };

/** One model server, as the scheduler drives it. */
export interface ModelServer {
  /** Provider and model, e.g. `ollama:llava:latest`; part of the description cache key. */
  readonly id: string;
  /** Its address and what to do when it is gone, for messages. */
  readonly description: ServerDescription;
  /** Its timeout and retries (from `model.timeout_seconds` and `model.max_retries`). */
  readonly policy: RetryPolicy;
  /** `model.parallel_requests` for this server: a fixed number of requests at once; null finds it. */
  readonly parallelRequests: number | null;
  /**
   * One request, no retries: the answer's text, or how the exchange failed. An answer that
   * says what is wrong (a 4xx: the model missing, a bad key) or cannot be read is thrown as
   * ModelMissingError or ModelRequestError. The timeout counts from when `clock` starts, when
   * one is given (request-scheduler.ts), else from the call.
   */
  send(request: DescribeRequest, signal?: AbortSignal, clock?: RequestClock): Promise<SendResult>;
  check(): Promise<ModelCheck>;
  /**
   * A minimal real request (a one-token chat without a picture), once, with this timeout: does
   * the model answer at all? A wedged server still answers its version and model list.
   */
  probe(timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult>;
}

/** One configured server: a ModelServer, and ModelRequests over it alone. */
export interface ModelProvider extends ModelServer, ModelRequests {
  /** `ask`'s answer text: the model's raw answer; clean it with `cleanAnswer` before using it. */
  describe(request: DescribeRequest, signal?: AbortSignal): Promise<string>;
}

export type { ProbeResult } from './model-http';
