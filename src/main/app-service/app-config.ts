import path from 'node:path';
import type { LoadedConfig } from '../config/load-config';
import { findConfigFile, loadConfig, userConfigDir } from '../config/load-config';

/**
 * The app's one config file. The desktop app and `altgen serve` use the user's config.yaml
 * (`userConfigDir()`), or the file given with `altgen serve --config`; unlike the CLI they do
 * not look in the working folder, so the settings screen always edits the file batches use.
 */
export class AppConfig {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly explicitFile: string | undefined,
  ) {}

  private get userFolder(): string {
    return userConfigDir(this.env);
  }

  /** The file batches read, or null when there is none and the defaults apply. */
  async fileInUse(): Promise<string | null> {
    if (this.explicitFile !== undefined) return path.resolve(this.explicitFile);
    return findConfigFile({ cwd: this.userFolder, env: this.env });
  }

  /** Where settings are saved: the file in use, or a new config.yaml in the user's folder. */
  async settingsFile(): Promise<string> {
    return (await this.fileInUse()) ?? path.join(this.userFolder, 'config.yaml');
  }

  load(): Promise<LoadedConfig> {
    return loadConfig({ explicit: this.explicitFile, cwd: this.userFolder, env: this.env });
  }
}
