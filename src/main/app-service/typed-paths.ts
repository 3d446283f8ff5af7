import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BridgeFailure } from './bridge-failure';

/**
 * Paths as people type or paste them into the app: `~/Lectures/Fall 2026`, a path in quotes
 * (Windows Explorer's "Copy as path" adds double quotes; notes apps curly ones), a `file://`
 * address copied from a browser, or a name relative to the folder `altgen serve` was started
 * in. Each becomes an absolute path, or a sentence the page shows at the field; nothing here
 * touches the disk except {@link resolveExistingPaths}, which says which path is missing.
 */

export interface PathContext {
  /** The user's home folder, for `~`. */
  readonly home: string;
  /** What relative names are relative to; null where they mean nothing (the desktop app). */
  readonly baseDir: string | null;
}

export type TypedPath =
  | { readonly ok: true; readonly path: string; /** Set when a relative name was resolved against the base folder. */ readonly relativeTo: string | null }
  | { readonly ok: false; readonly message: string };

/** The stable codes of the refusals, so the page can put each at its field. */
export type TypedPathCode = 'EBAD_PATH' | 'EBAD_OUTPUT_DIR';

const QUOTES: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
];

function unquote(text: string): string {
  for (const [open, close] of QUOTES) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) return text.slice(open.length, -close.length).trim();
  }
  return text;
}

/** "Type the full path, for example /home/ana/Lectures." with this computer's own home folder. */
export function fullPathAdvice(context: PathContext): string {
  return `Type the full path, for example ${path.join(context.home, 'Lectures')}.`;
}

export function resolveTypedPath(typed: string, context: PathContext): TypedPath {
  let text = unquote(typed.trim());
  if (text === '') return { ok: false, message: `The path is empty. ${fullPathAdvice(context)}` };
  if (text.includes('\0')) return { ok: false, message: 'The path contains a character no file name can hold (NUL): type it again.' };
  if (/^file:\/\//i.test(text)) {
    try {
      text = fileURLToPath(text);
    } catch {
      return { ok: false, message: `${typed.trim()} is not an address of a file on this computer. ${fullPathAdvice(context)}` };
    }
  }
  if (text === '~' || text.startsWith('~/') || (path.sep === '\\' && text.startsWith('~\\'))) {
    return { ok: true, path: path.join(context.home, text.slice(1)), relativeTo: null };
  }
  if (text.startsWith('~')) {
    return { ok: false, message: `AltGen reads ~ only as your own home folder (${context.home}). ${fullPathAdvice(context)}` };
  }
  if (path.isAbsolute(text)) return { ok: true, path: path.resolve(text), relativeTo: null };
  if (context.baseDir !== null) return { ok: true, path: path.resolve(context.baseDir, text), relativeTo: context.baseDir };
  return { ok: false, message: `“${text}” is not a full path. ${fullPathAdvice(context)}` };
}

/** The resolved path, or a BridgeFailure with the sentence. */
function required(typed: string, context: PathContext, code: TypedPathCode): Extract<TypedPath, { ok: true }> {
  const resolved = resolveTypedPath(typed, context);
  if (!resolved.ok) throw new BridgeFailure(code, resolved.message);
  return resolved;
}

export function requireTypedPath(typed: string, context: PathContext, code: TypedPathCode): string {
  return required(typed, context, code).path;
}

async function exists(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR',
  );
}

/**
 * The folders and decks to look in, each typed path resolved and present; a mistyped one is
 * refused with a sentence naming it (ENOT_FOUND), so the page shows it at the field instead of
 * a batch of nothing.
 */
export async function resolveExistingPaths(typed: readonly string[], context: PathContext): Promise<string[]> {
  const resolved = typed.map((text) => required(text, context, 'EBAD_PATH'));
  for (const candidate of resolved) {
    if (await exists(candidate.path)) continue;
    const where = candidate.relativeTo === null ? '' : ` (a name without a leading ${path.sep} is looked for in ${candidate.relativeTo}, where altgen serve was started)`;
    throw new BridgeFailure('ENOT_FOUND', `There is no folder or file at ${candidate.path}${where}: check the spelling, or choose Browse… to pick it.`);
  }
  return resolved.map((candidate) => candidate.path);
}
