import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeResult, InvokeChannel, RequestOf } from '../../shared/ipc-contract';
import { INVOKE_CHANNELS } from '../../shared/ipc-contract';
import { AppService } from '../app-service/app-service';
import { REQUEST_SCHEMAS, parseRequest } from '../app-service/request-schemas';
import { registerIpcHandlers } from './ipc-handlers';
import type { SenderEvent } from './sender-policy';
import { isTrustedSender, senderFacts } from './sender-policy';

/**
 * Every channel of the contract, through the Electron transport as main.ts wires it: the sender
 * is checked first (senderFacts + isTrustedSender), then the arguments (request-schemas.ts).
 * The tables are keyed by the contract, so a channel added without a schema, or without an
 * entry here, fails to compile and fails these tests.
 */

const RENDERER = 'file:///opt/AltGen/resources/app.asar/out/renderer/index.html';
const WINDOW_ID = 1;
const MANIFEST = '/home/me/Lectures (alt text)/batch_20260101_120000_abcdef12_manifest.json';

/** One valid request per channel: the mutations below break exactly one thing about it. */
const VALID: { readonly [C in InvokeChannel]: RequestOf<C> } = {
  'app:get-info': null,
  'inputs:discover': { paths: ['/home/me/Lectures'] },
  'batch:start': { paths: ['/home/me/Lectures'], output_dir: '/home/me/Lectures (alt text)', dry_run: true, max_workers: 2 },
  'batch:resume': { manifest_path: MANIFEST, retry_failed: true, only_index: 0 },
  'batch:stop': { mode: 'now' },
  'batch:try-model-now': null,
  'batch:pause': null,
  'batch:continue': null,
  'queue:move-to-front': { manifest_path: MANIFEST, index: 0 },
  'queue:skip-file': { manifest_path: MANIFEST, index: 0 },
  'queue:remove-file': { manifest_path: MANIFEST, index: 0 },
  'queue:put-back-file': { manifest_path: MANIFEST, index: 0 },
  'batch:get-log': { manifest_path: MANIFEST, index: 0 },
  'app:get-when-done': null,
  'app:set-when-done': { when_done: 'notify' },
  'batch:get-current': null,
  'batch:open': { manifest_path: MANIFEST },
  'batches:list': null,
  'batches:clean-up': { dry_run: true },
  'model:check': null,
  'settings:get': null,
  'settings:save': {
    model: { provider: 'ollama', base_url: 'http://127.0.0.1:11434', name: 'llava' },
    alt_text: { policy: 'preserve', decorative: 'suggest', char_limit: 125 },
    batch_processing: { default_max_workers: 2, stop_on_error_threshold: 0.5, file_timeout_seconds: 300 },
  },
  'review:get': { manifest_path: MANIFEST, index: 0 },
  'review:apply': { manifest_path: MANIFEST, index: 0, edits: [{ key: 'p1', descr: 'A human heart, anterior view.' }] },
  'review:get-queue': { manifest_path: MANIFEST },
  'review:get-summary': { manifest_path: MANIFEST },
  'review:get-picture': { manifest_path: MANIFEST, deck: '/home/me/Lectures/a.pptx', key: 'ppt/slides/slide1.xml#2' },
  'review:get-image': { manifest_path: MANIFEST, deck: '/home/me/Lectures/a.pptx', key: 'ppt/slides/slide1.xml#2' },
  'review:act': { manifest_path: MANIFEST, deck: '/home/me/Lectures/a.pptx', key: 'ppt/slides/slide1.xml#2', action: { type: 'edit', alt: 'A human heart, anterior view.' } },
  'review:regenerate': { manifest_path: MANIFEST, deck: '/home/me/Lectures/a.pptx', key: 'ppt/slides/slide1.xml#2', hint: 'name the fracture line' },
  'review:apply-all': { manifest_path: MANIFEST },
  'review:undo-apply': { manifest_path: MANIFEST },
  'review:export': { manifest_path: MANIFEST, format: 'docx' },
  'review:get-slides': { manifest_path: MANIFEST },
  'review:decide-slide': { manifest_path: MANIFEST, deck: '/home/me/Lectures/a.pptx', key: 'ppt/slides/slide1.xml#missing-slide-title', decision: 'accept' },
  'folders:list': { path: '/home/me' },
  'folders:places': null,
  'cache:clear': null,
  'shell:open-path': { path: '/home/me/Lectures/a.pptx' },
  'shell:show-in-folder': { path: '/home/me/Lectures/a.pptx' },
  'dialog:pick-folder': null,
};

const HUGE = 'x'.repeat(100_000);

type Mutant = readonly [label: string, value: unknown];

/** `value` with the thing at `at` replaced. */
function replaced(value: unknown, at: readonly (string | number)[], by: unknown): unknown {
  const [head, ...rest] = at;
  if (head === undefined) return by;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaced(item, rest, by) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaced(record[head], rest, by) };
}

/** Wrong types, out-of-range numbers, huge strings of the right shape, extra and prototype keys. */
function mutantsOf(valid: unknown): Mutant[] {
  const whole: Mutant[] = [
    ['a number', 42],
    ['a string', 'x'],
    ['a boolean', true],
    ['an array', []],
    ['the request in an array', [valid]],
    ['a class instance', Object.assign(Object.create({ inherited: true }) as object, valid === null ? { x: 1 } : valid)],
    ['a Map', new Map([['x', 1]])],
    ['a Date', new Date(0)],
  ];
  if (valid === null) {
    return [...whole, ['an empty object', {}], ['an object', { title: 'x' }], ['a JSON __proto__ object', JSON.parse('{"__proto__":{"polluted":true}}')]];
  }
  const leaves: Mutant[] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    const name = at.join('.');
    const mutate = (label: string, by: unknown) => leaves.push([`${name} ${label}`, replaced(valid, at, by)]);
    if (typeof value === 'string') {
      mutate('made huge', `${value}/${HUGE}`);
      mutate('as a number', 1);
      mutate('in an array', [value]);
      mutate('as an object', { value });
    } else if (typeof value === 'number') {
      for (const by of [-1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, String(value), true]) mutate(`as ${String(by)}`, by);
    } else if (typeof value === 'boolean') {
      for (const by of ['true', 1, null]) mutate(`as ${JSON.stringify(by)}`, by);
    } else if (Array.isArray(value)) {
      mutate('as a string', 'x');
      mutate('as an object', {});
      mutate('with 10 001 entries', Array.from({ length: 10_001 }, () => value[0]));
      value.forEach((item, index) => walk(item, [...at, index]));
    } else if (typeof value === 'object' && value !== null) {
      if (at.length > 0) {
        mutate('as a string', 'x');
        mutate('as an array', []);
      }
      mutate('with an extra key', { ...value, extra: 1 });
      mutate('with a JSON __proto__ key', { ...value, ...(JSON.parse('{"__proto__":{"polluted":true}}') as object) });
      mutate('with a constructor key', { ...value, constructor: { prototype: { polluted: true } } });
      mutate('with a getter', Object.defineProperty({ ...value }, 'extra', { enumerable: true, get: () => 1 }));
      mutate('with a symbol key', { ...value, [Symbol('x')]: 1 });
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
    }
  };
  walk(valid, []);
  return [...whole, ...leaves];
}

/** Stands in for ipcMain: records the handlers so the test calls them as Electron would. */
class FakeIpcMain {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>>();
  handle(channel: string, handler: (event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>): void {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, request: unknown, sender: SenderEvent): Promise<BridgeResult<unknown>> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return (await handler(sender as IpcMainInvokeEvent, request)) as BridgeResult<unknown>;
  }
}

function sender(id: number, frame: SenderEvent['senderFrame']): SenderEvent {
  return { sender: { id }, senderFrame: frame };
}

const MAIN_FRAME = sender(WINDOW_ID, { url: `${RENDERER}#/queue`, parent: null });
const FOREIGN_SENDERS: readonly (readonly [string, SenderEvent])[] = [
  ['another window', sender(2, { url: RENDERER, parent: null })],
  ['a frame inside the page', sender(WINDOW_ID, { url: RENDERER, parent: {} })],
  ['a frame that is gone', sender(WINDOW_ID, null)],
  ['the window navigated to a web page', sender(WINDOW_ID, { url: 'https://evil.example/', parent: null })],
  ['the window showing another local file', sender(WINDOW_ID, { url: 'file:///home/me/Downloads/index.html', parent: null })],
  ['the window on a data: URL', sender(WINDOW_ID, { url: 'data:text/html,<script>1</script>', parent: null })],
];

let root: string;
let ipc: FakeIpcMain;
let hostCalls: string[];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-ipc-validation-'));
  hostCalls = [];
  const service = new AppService({
    host: {
      kind: 'electron',
      version: '1.0.0',
      openPath: async (p) => void hostCalls.push(`open ${p}`),
      showInFolder: async (p) => void hostCalls.push(`show ${p}`),
      pickFolder: async () => {
        hostCalls.push('pick');
        return '/picked';
      },
    },
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') },
    homeDir: root,
  });
  ipc = new FakeIpcMain();
  // As main.ts wires it, with the main window's contents id known.
  registerIpcHandlers(ipc, service, (event) => isTrustedSender(senderFacts(event, WINDOW_ID), RENDERER));
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('IPC: every channel has a schema and a handler', () => {
  it('has a request schema for exactly the channels of the contract', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(VALID).sort()).toEqual([...INVOKE_CHANNELS].sort());
    // Nothing else is handled: Electron rejects an invoke on a channel without a handler.
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it.each(INVOKE_CHANNELS.map((channel) => [channel] as const))('accepts the valid %s request the mutations start from', (channel) => {
    expect(() => parseRequest(channel, VALID[channel])).not.toThrow();
  });
});

describe('IPC: arguments are validated on every channel', () => {
  it.each(INVOKE_CHANNELS.map((channel) => [channel] as const))('refuses garbage on %s with EBAD_REQUEST, before acting on it', async (channel) => {
    const mutants = mutantsOf(VALID[channel]);
    expect(mutants.length).toBeGreaterThan(5);
    for (const [label, request] of mutants) {
      const answer = await ipc.invoke(channel, request, MAIN_FRAME);
      expect(answer, `${channel}: ${label}`).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    }
    expect(hostCalls).toEqual([]);
    await expect(fs.access(path.join(root, 'config')), 'settings were written').rejects.toMatchObject({ code: 'ENOENT' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('IPC: the sender is checked on every channel', () => {
  it.each(INVOKE_CHANNELS.map((channel) => [channel] as const))('refuses %s to every sender but the main window’s top frame', async (channel) => {
    for (const [who, event] of FOREIGN_SENDERS) {
      for (const request of [VALID[channel], { garbage: true }]) {
        const answer = await ipc.invoke(channel, request, event);
        expect(answer, `${channel} from ${who}`).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
      }
    }
    expect(hostCalls).toEqual([]);
    await expect(fs.access(path.join(root, 'config'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('answers the main window’s top frame', async () => {
    expect(await ipc.invoke('dialog:pick-folder', null, MAIN_FRAME)).toEqual({ ok: true, response: '/picked' });
    expect(hostCalls).toEqual(['pick']);
  });
});
