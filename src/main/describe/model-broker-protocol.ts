import type { ModelErrorCode } from './model-errors';
import type { DescribeRequest, ModelReply } from './model-provider';

/**
 * The messages between a batch's processors and the scheduler the runner keeps for the whole
 * batch (batch/model-broker.ts), over each processor's IPC channel (structured clone: the
 * picture travels as bytes, not base64 text). A processor asks; the runner answers each ask
 * once, with the reply or the model error, and with how many requests its servers take now, so
 * that the processor prepares that many pictures ahead.
 *
 * The runner reads what a processor sends as untrusted: a processor reads decks from anywhere,
 * so every message is checked (`parseAsk`) before it reaches the scheduler.
 */

export type BrokerAsk =
  | {
      readonly type: 'model-ask';
      readonly id: number;
      readonly image: Uint8Array;
      readonly mime: DescribeRequest['mime'];
      readonly prompt: string;
      readonly system: string;
      readonly key?: string;
    }
  | { readonly type: 'model-cancel'; readonly id: number };

export type BrokerAnswer =
  | { readonly type: 'model-reply'; readonly id: number; readonly reply: ModelReply; readonly capacity: number }
  | {
      readonly type: 'model-error';
      readonly id: number;
      readonly code: ModelErrorCode;
      readonly message: string;
      /** Another processor's request for the same picture failed so: no call of this one's own. */
      readonly shared?: boolean;
      readonly capacity: number;
    }
  | { readonly type: 'model-capacity'; readonly capacity: number };

/** The largest picture a processor may send (the model's copy is at most max_image_dimension, 4096 px). */
export const MAX_ASK_IMAGE_BYTES = 64 * 1024 * 1024;
const MAX_TEXT_CHARS = 64 * 1024;
const MIMES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg']);

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TEXT_CHARS;
}

/** A processor's message as one of ours, or null when it is not (the runner ignores it). */
export function parseAsk(message: unknown): BrokerAsk | null {
  if (typeof message !== 'object' || message === null) return null;
  const value = message as Record<string, unknown>;
  if (typeof value['id'] !== 'number' || !Number.isSafeInteger(value['id'])) return null;
  const id = value['id'];
  if (value['type'] === 'model-cancel') return { type: 'model-cancel', id };
  if (value['type'] !== 'model-ask') return null;
  const { image, mime, prompt, system, key } = value;
  if (!(image instanceof Uint8Array) || image.byteLength > MAX_ASK_IMAGE_BYTES) return null;
  if (typeof mime !== 'string' || !MIMES.has(mime) || !isText(prompt) || !isText(system)) return null;
  if (key !== undefined && !(typeof key === 'string' && /^[0-9a-f]{64}$/.test(key))) return null;
  return { type: 'model-ask', id, image, mime: mime as DescribeRequest['mime'], prompt, system, ...(key !== undefined ? { key } : {}) };
}

/** The request as the scheduler takes it. */
export function requestOf(ask: Extract<BrokerAsk, { type: 'model-ask' }>): DescribeRequest {
  const image = Buffer.from(ask.image.buffer, ask.image.byteOffset, ask.image.byteLength);
  return { image, mime: ask.mime, prompt: ask.prompt, system: ask.system, ...(ask.key !== undefined ? { key: ask.key } : {}) };
}

