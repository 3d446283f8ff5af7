import { afterEach, describe, expect, it } from 'vitest';
import { modelSchema } from '../../shared/config-schema';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { checkModelServer, modelServerAnswers, modelServerSilence } from './model-check';

/**
 * The runner's model checks with `model.servers` (the dry run's check, the outage's "is it
 * back?", a timed-out deck's "is it silent?") against real loopback servers: each server is
 * asked, not only `model.base_url`.
 */

const started: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

async function servers(count: number): Promise<FakeModelServer[]> {
  const made = await Promise.all(Array.from({ length: count }, () => startFakeModelServer()));
  started.push(...made);
  return made;
}

/** A loopback address nothing listens on: a server that was stopped. */
async function goneUrl(): Promise<string> {
  const server = await startFakeModelServer();
  await server.stop();
  return server.url;
}

describe('model checks over model.servers', () => {
  it('the dry run checks every server and names each one that cannot be used', async () => {
    const [up] = await servers(1);
    const gone = await goneUrl();
    const model = modelSchema.parse({ servers: [up!.url, { base_url: gone, name: 'qwen2.5vl:7b' }], timeout_seconds: 2 });
    const check = await checkModelServer(model, {});
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/^1 of 2 model servers cannot be used: /);
    expect(check.message).toContain(gone);
    expect(check.message).not.toContain(up!.url);
    expect(check.message).toMatch(/The batch uses the other 1 meanwhile\.$/);
    // base_url (the default, where nothing runs here) is not what is checked.
    const both = await checkModelServer(modelSchema.parse({ servers: [up!.url, up!.url] }), {});
    expect(both).toMatchObject({ ok: true, message: expect.stringContaining('All 2 model servers') });
  });

  it('a batch waiting for its servers goes on when any one answers, and a timed-out deck blames silence only when all are silent', async () => {
    const [quiet, awake] = await servers(2);
    const gone = await goneUrl();
    quiet!.script(() => ({ hang: true }));
    awake!.script(() => ({ hang: true }));
    const model = modelSchema.parse({ servers: [quiet!.url, awake!.url], timeout_seconds: 1 });
    expect(await modelServerAnswers(model, {})).toBe(false);
    expect(await modelServerSilence(model, {})).toMatch(/^None of the 2 model servers answers: each stopped answering/);
    awake!.script(() => undefined);
    expect(await modelServerAnswers(model, {})).toBe(true);
    expect(await modelServerSilence(model, {})).toBeNull();
    expect(await modelServerAnswers(modelSchema.parse({ servers: [gone], timeout_seconds: 1 }), {})).toBe(false);
  });
});
