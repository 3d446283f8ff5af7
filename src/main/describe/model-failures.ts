import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The pictures the model already failed on in this run of a batch, and why: a picture the
 * model refused, answered with something unusable, or failed with HTTP 500 on is not asked
 * again in the same run, in the same deck or in another one. Keys are the description cache's
 * (image, model, prompt, language, length), so "the same picture" means the same as there.
 *
 * The batch runs one processor process per deck; they share the memory through a folder the
 * runner creates for the run and names in each processor's environment (`ALTGEN_MODEL_FAILURES`),
 * and removes when the run ends (a folder that is gone is not made again). So a later batch, or a resume after the model was fixed,
 * asks again. Without that variable (`altgen process` by hand) the memory lasts for the deck.
 *
 * Storage: one small file per key, written to a unique temp name and renamed, so processes
 * never see a half-written file. Not guaranteed: two processors asking about the same picture
 * at the same moment both ask (neither has failed yet). Errors reading or writing the folder
 * are swallowed: the memory only saves model calls, it never decides a picture's outcome.
 */

export const MODEL_FAILURES_ENV = 'ALTGEN_MODEL_FAILURES';

const KEY_PATTERN = /^[0-9a-f]{64}$/;

export class ModelFailures {
  private readonly known = new Map<string, string>();

  /** `dir`: the run's shared folder; null keeps the memory in this process only. */
  constructor(readonly dir: string | null) {}

  static fromEnvironment(env: NodeJS.ProcessEnv): ModelFailures {
    const dir = env[MODEL_FAILURES_ENV]?.trim();
    return new ModelFailures(dir ? dir : null);
  }

  /** Why the model failed on this picture earlier in the run, or null. */
  async get(key: string): Promise<string | null> {
    const known = this.known.get(key);
    if (known !== undefined || !this.dir || !KEY_PATTERN.test(key)) return known ?? null;
    try {
      const reason = (await readFile(path.join(this.dir, key), 'utf8')).trim();
      if (reason === '') return null;
      this.known.set(key, reason);
      return reason;
    } catch {
      return null;
    }
  }

  async set(key: string, reason: string): Promise<void> {
    this.known.set(key, reason);
    if (!this.dir || !KEY_PATTERN.test(key)) return;
    const file = path.join(this.dir, key);
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${reason}\n`, 'utf8');
      await rename(temp, file);
    } catch {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}
