import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AltgenConfig } from '../../shared/config-schema';

/**
 * What one run of a batch (not a dry run) shares with its processors, in a folder of the
 * system's temp folder that the run creates and removes when it ends:
 * - `settings.yaml`: the settings the runner resolved (from its config file, or the defaults
 *   when there is none), which it hands to every processor it starts. A processor therefore
 *   never looks for a config.yaml of its own, and one left in its working folder cannot make
 *   it work differently from what the app shows and the batch uses; saving other settings
 *   mid-batch changes the next batch, not the decks of this one. The body is JSON, which YAML
 *   reads as it is, under a comment that says where it came from.
 * - `model-failures/`: the pictures the model failed on in this run (describe/model-failures.ts).
 * - `paused`: there while the user has paused the batch; its processors start no request to the
 *   model meanwhile (processor/pause-gate.ts).
 *
 * Not guaranteed: a runner killed by SIGKILL leaves the folder behind; it is small, and the
 * system's temp folder is emptied by the system.
 */
export class RunFolder {
  private constructor(private readonly dir: string) {}

  /** `source` is the config file the settings were read from, or null for the defaults. */
  static async create(config: AltgenConfig, source: string | null): Promise<RunFolder> {
    const folder = new RunFolder(await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-run-')));
    try {
      await fs.mkdir(folder.modelFailuresDir);
      const origin = source === null ? 'the defaults (no config file was in use)' : source.replace(/\s+/g, ' ');
      await fs.writeFile(folder.settingsFile, `# The settings of one AltGen batch run, resolved from ${origin}; removed when the run ends.\n${JSON.stringify(config, null, 2)}\n`);
      return folder;
    } catch (error) {
      await folder.remove();
      throw error;
    }
  }

  get settingsFile(): string {
    return path.join(this.dir, 'settings.yaml');
  }

  get modelFailuresDir(): string {
    return path.join(this.dir, 'model-failures');
  }

  get pauseFile(): string {
    return path.join(this.dir, 'paused');
  }

  /** Pauses or lets go on the run's processors (before their next request to the model). */
  async setPaused(paused: boolean): Promise<void> {
    if (paused) await fs.writeFile(this.pauseFile, '');
    else await fs.rm(this.pauseFile, { force: true });
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
