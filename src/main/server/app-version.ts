import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version in package.json, found above this module both in the sources and in out/main. */
export function appVersion(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'altgen-desktop' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here; look further up.
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}
