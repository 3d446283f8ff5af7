/**
 * A batch's name, from the folder its decks came from: the folder and the one it is in,
 * "Fall 2026 – Cardiology" for `~/Lectures/Fall 2026/Cardiology`. The folder holding it is
 * left out when it says nothing (the home folder, the root of a disk). Paths of either kind
 * (`/` or `\`) are read, since a manifest may come from another computer.
 */

const SEPARATORS = /[\\/]+/;

function partsOf(folder: string): string[] {
  return folder.split(SEPARATORS).filter((part) => part !== '');
}

function sameFolder(a: string, b: string): boolean {
  return partsOf(a).join('/') === partsOf(b).join('/');
}

export function batchNameFor(inputRoot: string | null, homeDir: string | null): string {
  if (inputRoot === null) return 'Decks from several folders';
  const parts = partsOf(inputRoot);
  const name = parts.at(-1);
  if (name === undefined) return inputRoot;
  const parent = parts.at(-2);
  const parentFolder = inputRoot.replace(/[\\/]+$/, '').replace(/[\\/]+[^\\/]+$/, '');
  const atHome = homeDir !== null && (sameFolder(parentFolder, homeDir) || sameFolder(inputRoot, homeDir));
  const saysNothing = parent === undefined || /^[A-Za-z]:$/.test(parent) || atHome;
  return saysNothing ? name : `${parent} – ${name}`;
}
