import path from 'node:path';
import type { Discovery } from '../batch/discover-inputs';
import { DiscoveryError } from '../batch/discover-inputs';
import { BridgeFailure } from './bridge-failure';

/**
 * The user's choices before a batch starts: the decks they left out in the preview are not in
 * the batch, and the ready decks of a dry run keep the dry run's folder as the one their copies
 * mirror (without it, the deepest folder holding the decks that are left would be taken, and the
 * copies of a folder whose other decks were left out would land one level up).
 */
export function withChoices(discovery: Discovery, exclude: readonly string[] = [], inputRoot?: string): Discovery {
  const leftOut = new Set(exclude.map((file) => path.resolve(file)));
  const files = leftOut.size === 0 ? discovery.files : discovery.files.filter((file) => !leftOut.has(file.path));
  if (files.length === 0) throw new DiscoveryError('ENO_DECKS', 'Every deck was left out of the batch: include at least one.');
  if (inputRoot === undefined) return { ...discovery, files };
  const root = path.resolve(inputRoot);
  const outside = files.find((file) => {
    const relative = path.relative(root, file.path);
    return relative.startsWith('..') || path.isAbsolute(relative);
  });
  if (outside) throw new BridgeFailure('EBAD_REQUEST', `${outside.path} is not in ${root}, the folder the copies mirror.`);
  return { ...discovery, files, inputRoot: root };
}
