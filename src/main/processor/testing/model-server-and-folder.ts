import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeModelServer, type FakeModelServer } from '../../describe/testing/fake-model-server';

/**
 * For a test file of decks processed against the stand-in model server: one server for the
 * whole file, and a fresh temporary folder (named `prefix…`) for each test, removed after it.
 */
export function useModelServerAndFolder(prefix: string): { readonly server: FakeModelServer; readonly dir: string } {
  let server: FakeModelServer | null = null;
  let dir: string | null = null;
  beforeAll(async () => {
    server = await startFakeModelServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    dir = null;
  });
  return {
    get server(): FakeModelServer {
      if (!server) throw new Error('The stand-in model server is used outside a test.');
      return server;
    },
    get dir(): string {
      if (!dir) throw new Error('The test folder is used outside a test.');
      return dir;
    },
  };
}
