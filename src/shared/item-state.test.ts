import { describe, expect, it } from 'vitest';
import type { InputFingerprint, ItemResult, QueueItem } from './batch-types';
import { ITEM_STATUSES } from './batch-types';
import type { ItemEvent, ItemEventType } from './item-state';
import { canTransition, InvalidTransitionError, MAX_ATTEMPTS, newItem, transition } from './item-state';

/**
 * The item state machine as one table: every kind of item × every event → the item it becomes
 * (as changes to the item it was; every other field must stay as it was) or a refusal.
 */

const ADDED = '2026-11-28T09:00:00.000+01:00';
const STARTED = '2026-11-28T09:05:00.000+01:00';
const ENDED = '2026-11-28T09:06:30.250+01:00';
const AT = '2026-11-28T10:00:00.000+01:00';
const FINGERPRINT: InputFingerprint = { size: 1_234_567, mtime_ms: 1_795_000_000_000 };
const NEW_FINGERPRINT: InputFingerprint = { size: 2_048, mtime_ms: 1_795_000_600_000 };
const RESULT: ItemResult = { pictures: 3, described: 2, preserved: 1, output_path: '/out/cardiac.pptx', duration_seconds: 12.5 };
const NEW_RESULT: ItemResult = { pictures: 4, described: 1, needs_review: 3, model_failed: 3, output_path: '/out/cardiac.pptx' };
const CRASH = 'The processor crashed (SIGSEGV).';
const KILLED = 'The processor crashed (SIGKILL).';
const TIMED_OUT = 'Timed out after 300 s.';
const LOCKED = 'Locked by pid 42 on lab-mac.';

const fresh = newItem('/lectures/week 1/cardiac.pptx', ADDED);

/** One item of each kind a batch holds: every status, and the ones whose history matters. */
const ITEMS = {
  'pending (new)': fresh,
  'pending (after a crash)': { ...fresh, attempts: 1, error: CRASH, error_code: 'ECRASHED' },
  processing: { ...fresh, status: 'processing', started_at: STARTED },
  'processing (after two crashes)': { ...fresh, status: 'processing', started_at: STARTED, attempts: MAX_ATTEMPTS - 1 },
  complete: { ...fresh, status: 'complete', started_at: STARTED, completed_at: ENDED, result: RESULT, fingerprint: FINGERPRINT, attempts: 1 },
  failed: { ...fresh, status: 'failed', started_at: STARTED, completed_at: ENDED, error: 'scripted failure', error_code: 'EPROCESSOR_FAILED', attempts: 1 },
  'failed (gave up)': { ...fresh, status: 'failed', started_at: STARTED, completed_at: ENDED, error: `Gave up after 3 attempts: ${CRASH}`, error_code: 'ECRASHED', attempts: MAX_ATTEMPTS },
  skipped: { ...fresh, status: 'skipped', started_at: STARTED, completed_at: ENDED, skip_reason: 'Open in PowerPoint: close it and resume.', error_code: 'EOPEN_IN_POWERPOINT' },
} as const satisfies Record<string, QueueItem>;

type ItemKind = keyof typeof ITEMS;

const EVENTS: { readonly [T in ItemEventType]: Extract<ItemEvent, { type: T }> } = {
  start: { type: 'start', at: AT },
  complete: { type: 'complete', at: AT, result: NEW_RESULT, fingerprint: NEW_FINGERPRINT },
  fail: { type: 'fail', at: AT, code: 'ETIMEOUT', error: TIMED_OUT },
  skip: { type: 'skip', at: AT, code: 'ELOCKED', reason: LOCKED },
  requeue: { type: 'requeue' },
  recover: { type: 'recover', at: AT, code: 'ECRASHED', error: KILLED },
  retry: { type: 'retry' },
  invalidate: { type: 'invalidate' },
};

const REFUSED = 'refused';
type Expected = Partial<QueueItem> | typeof REFUSED;

/** Back to pending with nothing of the last run left: times, messages, result. */
const CLEARED = { status: 'pending', started_at: null, completed_at: null, error: null, skip_reason: null, result: null, error_code: null } as const;
/** A new start: counted attempts and fingerprint stay, nothing else of the last run does. */
const STARTED_NOW = { ...CLEARED, status: 'processing', started_at: AT } as const;
const COMPLETED = { status: 'complete', completed_at: AT, result: NEW_RESULT, fingerprint: NEW_FINGERPRINT, error: null, error_code: null } as const;
const FAILED = { status: 'failed', completed_at: AT, error: TIMED_OUT, error_code: 'ETIMEOUT' } as const;
/** A skip's reason is `skip_reason`; no error of an earlier run may stay beside its code. */
const SKIPPED = { status: 'skipped', completed_at: AT, skip_reason: LOCKED, error_code: 'ELOCKED', error: null } as const;

const TABLE: { readonly [K in ItemKind]: { readonly [T in ItemEventType]: Expected } } = {
  'pending (new)': {
    start: STARTED_NOW,
    complete: REFUSED,
    fail: FAILED,
    skip: SKIPPED,
    requeue: REFUSED,
    recover: REFUSED,
    retry: REFUSED,
    invalidate: REFUSED,
  },
  'pending (after a crash)': {
    start: { ...STARTED_NOW, attempts: 1 },
    complete: REFUSED,
    fail: { ...FAILED, attempts: 1 },
    skip: { ...SKIPPED, attempts: 1 },
    requeue: REFUSED,
    recover: REFUSED,
    retry: REFUSED,
    invalidate: REFUSED,
  },
  processing: {
    start: REFUSED,
    complete: COMPLETED,
    fail: FAILED,
    skip: SKIPPED,
    requeue: CLEARED,
    recover: { ...CLEARED, attempts: 1, error: KILLED, error_code: 'ECRASHED' },
    retry: REFUSED,
    invalidate: REFUSED,
  },
  'processing (after two crashes)': {
    start: REFUSED,
    complete: { ...COMPLETED, attempts: 2 },
    fail: { ...FAILED, attempts: 2 },
    skip: { ...SKIPPED, attempts: 2 },
    requeue: { ...CLEARED, attempts: 2 },
    recover: { status: 'failed', attempts: 3, started_at: STARTED, completed_at: AT, error: `Gave up after 3 attempts: ${KILLED}`, error_code: 'ECRASHED' },
    retry: REFUSED,
    invalidate: REFUSED,
  },
  complete: {
    start: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    skip: REFUSED,
    requeue: REFUSED,
    recover: REFUSED,
    retry: REFUSED,
    invalidate: { ...CLEARED, attempts: 0, fingerprint: null },
  },
  failed: {
    start: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    skip: REFUSED,
    requeue: REFUSED,
    recover: REFUSED,
    retry: { ...CLEARED, attempts: 0, fingerprint: null },
    invalidate: REFUSED,
  },
  'failed (gave up)': {
    start: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    skip: REFUSED,
    requeue: REFUSED,
    recover: REFUSED,
    retry: { ...CLEARED, attempts: 0, fingerprint: null },
    invalidate: REFUSED,
  },
  skipped: {
    start: REFUSED,
    complete: REFUSED,
    fail: REFUSED,
    skip: REFUSED,
    requeue: REFUSED,
    recover: REFUSED,
    retry: { ...CLEARED, attempts: 0, fingerprint: null },
    invalidate: REFUSED,
  },
};

const ROWS = (Object.keys(TABLE) as ItemKind[]).flatMap((kind) =>
  (Object.keys(EVENTS) as ItemEventType[]).map((event) => ({ kind, event, expected: TABLE[kind][event] })),
);

describe('the item state machine', () => {
  it('has a row for every status', () => {
    expect(new Set(Object.values(ITEMS).map((item) => item.status))).toEqual(new Set(ITEM_STATUSES));
  });

  it.each(ROWS)('$kind item, event $event', ({ kind, event, expected }) => {
    const item: QueueItem = ITEMS[kind];
    const before = structuredClone(item);
    if (expected === REFUSED) {
      expect(canTransition(item.status, event)).toBe(false);
      let refusal: unknown;
      try {
        transition(item, EVENTS[event]);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(InvalidTransitionError);
      expect(refusal).toMatchObject({ code: 'EINVALID_TRANSITION', from: item.status, event, message: `A ${item.status} item cannot take the event "${event}".` });
    } else {
      expect(canTransition(item.status, event)).toBe(true);
      expect(transition(item, EVENTS[event])).toEqual({ ...item, ...expected });
    }
    expect(item, 'the item it was is left as it was').toEqual(before);
  });

  it.each([
    { crashes: 1, status: 'pending', attempts: 1 },
    { crashes: 2, status: 'pending', attempts: 2 },
    { crashes: MAX_ATTEMPTS, status: 'failed', attempts: MAX_ATTEMPTS },
  ] as const)('after $crashes crash(es) in a row the file is $status, with $attempts attempt(s) counted', ({ crashes, status, attempts }) => {
    let item: QueueItem = fresh;
    for (let crash = 0; crash < crashes; crash += 1) {
      item = transition(transition(item, EVENTS.start), EVENTS.recover);
    }
    expect(item).toMatchObject({ status, attempts, error_code: 'ECRASHED' });
  });

  it('does not count a requeue (pause, stop now, model server down) as an attempt', () => {
    let item: QueueItem = fresh;
    for (let round = 0; round < MAX_ATTEMPTS + 2; round += 1) item = transition(transition(item, EVENTS.start), EVENTS.requeue);
    expect(item).toEqual(fresh);
  });
});
