import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FolderPlaces } from '../../shared/ipc-contract';

/**
 * The drives, volumes and network shares the folder browser offers, where the system has
 * them: drive letters on Windows (mapped network drives among them), `/Volumes` on macOS
 * (network shares mount there too), and on Linux the places desktops mount disks and shares
 * (`/media/<user>`, `/run/media/<user>`, `/mnt`, and GVFS's network shares under
 * `/run/user/<uid>/gvfs`). Only folders that exist and can be opened are listed.
 */

export type Volume = FolderPlaces['volumes'][number];

/** A folder whose sub-folders are volumes of one kind. */
export interface MountRoot {
  readonly dir: string;
  readonly kind: Volume['kind'];
}

const MAX_VOLUMES = 40;

export function mountRoots(platform: NodeJS.Platform = process.platform): readonly MountRoot[] {
  const user = safeUserInfo();
  switch (platform) {
    case 'win32':
      return [];
    case 'darwin':
      return [{ dir: '/Volumes', kind: 'volume' }];
    default:
      return [
        ...(user ? [{ dir: path.join('/media', user.username), kind: 'volume' as const }, { dir: path.join('/run/media', user.username), kind: 'volume' as const }] : []),
        { dir: '/mnt', kind: 'volume' },
        ...(user && user.uid >= 0 ? [{ dir: `/run/user/${user.uid}/gvfs`, kind: 'network' as const }] : []),
      ];
  }
}

function safeUserInfo(): { readonly username: string; readonly uid: number } | null {
  try {
    const info = os.userInfo();
    return { username: info.username, uid: info.uid };
  } catch {
    return null;
  }
}

async function isFolder(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** GVFS names a share `smb-share:server=fs1,share=lectures`: show it as `lectures on fs1`. */
function volumeName(name: string, kind: Volume['kind']): string {
  if (kind !== 'network') return name;
  const fields = new Map(
    name
      .slice(name.indexOf(':') + 1)
      .split(',')
      .map((pair) => pair.split('=') as [string, string | undefined]),
  );
  const share = fields.get('share');
  const server = fields.get('server') ?? fields.get('host');
  return share && server ? `${share} on ${server}` : server ?? name;
}

async function volumesUnder(root: MountRoot): Promise<Volume[]> {
  let names: string[];
  try {
    names = (await readdir(root.dir, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.')).map((entry) => entry.name);
  } catch {
    return [];
  }
  const volumes: Volume[] = [];
  for (const name of names.sort()) {
    const full = path.join(root.dir, name);
    if (await isFolder(full)) volumes.push({ name: volumeName(name, root.kind), path: full, kind: root.kind });
  }
  return volumes;
}

/** Windows: every drive letter that answers, `C:\` and mapped network drives alike. */
async function driveLetters(): Promise<Volume[]> {
  const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
  const present = await Promise.all(letters.map((letter) => isFolder(`${letter}:\\`)));
  return letters.filter((_, i) => present[i]).map((letter) => ({ name: `${letter}:`, path: `${letter}:\\`, kind: 'drive' }));
}

export async function listVolumes(platform: NodeJS.Platform = process.platform, roots: readonly MountRoot[] = mountRoots(platform)): Promise<Volume[]> {
  const found = platform === 'win32' ? await driveLetters() : [];
  for (const root of roots) found.push(...(await volumesUnder(root)));
  return found.slice(0, MAX_VOLUMES);
}
