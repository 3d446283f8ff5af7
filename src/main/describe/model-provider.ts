import type { ProbeResult } from './model-http';

export { ModelError, ModelMissingError, ModelRequestError, ModelUnavailableError, ModelUnusableError } from './model-errors';
export type { ModelErrorCode } from './model-errors';

/**
 * A local vision-language model behind HTTP. One `describe` call is one picture: one request,
 * no shared history (LLaVA drifts when pictures share a conversation). Providers throw the
 * errors of `model-errors.ts` and nothing else, except the caller's own abort reason. This
 * file is the interface only; `create-provider.ts` makes the configured one.
 */
export interface DescribeRequest {
  readonly image: Buffer;
  readonly mime: 'image/png' | 'image/jpeg';
  readonly prompt: string;
  readonly system: string;
}

/**
 * Is the configured server reachable and is the model on it? A sentence, and the command
 * that fixes the problem. The dry run shows it; the processor may ask before its first picture.
 */
export type ModelCheck =
  | { readonly ok: true; readonly message: string }
  | {
      readonly ok: false;
      readonly problem: 'unreachable' | 'model-missing' | 'bad-answer';
      readonly message: string;
      readonly fix: string;
    };

export interface ModelProvider {
  /** Provider and model, e.g. `ollama:llava:latest`; part of the description cache key. */
  readonly id: string;
  /** The model's raw answer; clean it with `cleanAnswer` before using it. */
  describe(request: DescribeRequest, signal?: AbortSignal): Promise<string>;
  check(): Promise<ModelCheck>;
  /**
   * A minimal real request (a one-token chat without a picture), once, with this timeout: does
   * the model answer at all? A wedged server still answers its version and model list.
   */
  probe(timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult>;
}

export type { ProbeResult } from './model-http';
