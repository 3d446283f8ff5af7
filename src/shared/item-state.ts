import { assertNever } from './assert-never';
import type { InputFingerprint, ItemResult, ItemStatus, QueueItem } from './batch-types';
import type { ItemErrorCode } from './error-codes';

/**
 * The queue item state machine: pure, exhaustive, and the only place an item changes.
 *
 *   pending ──start──▶ processing ──complete──▶ complete
 *      │                  │  ├─────fail──────▶ failed
 *      │                  │  ├─────skip──────▶ skipped
 *      │                  │  └──requeue/recover──▶ pending (or failed after MAX_ATTEMPTS)
 *      ├──fail / skip──▶ failed / skipped   (problems found before processing starts)
 *   failed ──retry──▶ pending;  complete ──invalidate──▶ pending;  skipped ──retry──▶ pending
 */

/** A file that crashes or times out its processor this many times ends `failed`. */
export const MAX_ATTEMPTS = 3;

export type ItemEvent =
  | { readonly type: 'start'; readonly at: string }
  | {
      readonly type: 'complete';
      readonly at: string;
      readonly result: ItemResult;
      readonly fingerprint: InputFingerprint | null;
    }
  | { readonly type: 'fail'; readonly at: string; readonly code: ItemErrorCode; readonly error: string }
  | { readonly type: 'skip'; readonly at: string; readonly code: ItemErrorCode; readonly reason: string }
  /** Back to pending without counting an attempt (paused batch, stop now, model server down). */
  | { readonly type: 'requeue' }
  /**
   * The processor crashed or timed out, or the runner died while the file was processing:
   * count an attempt, and give up after MAX_ATTEMPTS.
   */
  | { readonly type: 'recover'; readonly at: string; readonly code: ItemErrorCode; readonly error: string }
  /** The user asked to retry a failed or skipped file. */
  | { readonly type: 'retry' }
  /** A complete file whose input changed since: process it again. */
  | { readonly type: 'invalidate' };

export type ItemEventType = ItemEvent['type'];

export class InvalidTransitionError extends Error {
  readonly code = 'EINVALID_TRANSITION';
  constructor(
    readonly from: ItemStatus,
    readonly event: ItemEventType,
  ) {
    super(`A ${from} item cannot take the event "${event}".`);
  }
}

/** Which events each status accepts. */
const ALLOWED: Readonly<Record<ItemStatus, readonly ItemEventType[]>> = {
  pending: ['start', 'fail', 'skip'],
  processing: ['complete', 'fail', 'skip', 'requeue', 'recover'],
  complete: ['invalidate'],
  failed: ['retry'],
  skipped: ['retry'],
};

export function canTransition(from: ItemStatus, event: ItemEventType): boolean {
  return ALLOWED[from].includes(event);
}

export function newItem(path: string, at: string): QueueItem {
  return {
    path,
    status: 'pending',
    added_at: at,
    started_at: null,
    completed_at: null,
    error: null,
    skip_reason: null,
    result: null,
    attempts: 0,
    error_code: null,
    fingerprint: null,
  };
}

const CLEARED = {
  started_at: null,
  completed_at: null,
  error: null,
  skip_reason: null,
  result: null,
  error_code: null,
} as const;

export function transition(item: QueueItem, event: ItemEvent): QueueItem {
  if (!canTransition(item.status, event.type)) throw new InvalidTransitionError(item.status, event.type);
  switch (event.type) {
    case 'start':
      return { ...item, ...CLEARED, status: 'processing', started_at: event.at };
    case 'complete':
      return {
        ...item,
        status: 'complete',
        completed_at: event.at,
        result: event.result,
        fingerprint: event.fingerprint,
        error: null,
        error_code: null,
      };
    case 'fail':
      return { ...item, status: 'failed', completed_at: event.at, error: event.error, error_code: event.code };
    case 'skip':
      return {
        ...item,
        status: 'skipped',
        completed_at: event.at,
        skip_reason: event.reason,
        error_code: event.code,
        // The reason is `skip_reason`; an earlier crash's message must not stay beside the new code.
        error: null,
      };
    case 'requeue':
      return { ...item, ...CLEARED, status: 'pending' };
    case 'recover': {
      const attempts = item.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        return {
          ...item,
          attempts,
          status: 'failed',
          completed_at: event.at,
          error_code: event.code,
          error: `Gave up after ${attempts} attempts: ${event.error}`,
        };
      }
      return { ...item, ...CLEARED, attempts, status: 'pending', error: event.error, error_code: event.code };
    }
    case 'retry':
      return { ...item, ...CLEARED, status: 'pending', attempts: 0, fingerprint: null };
    case 'invalidate':
      return { ...item, ...CLEARED, status: 'pending', attempts: 0, fingerprint: null };
    default:
      return assertNever(event, 'item event');
  }
}
