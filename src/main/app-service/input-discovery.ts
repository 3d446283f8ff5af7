import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DiscoveredRow, DiscoveryPreview } from '../../shared/ipc-contract';
import type { DiscoveredFile, Discovery } from '../batch/discover-inputs';
import { DiscoveryError, discoverInputs } from '../batch/discover-inputs';
import { deepestCommonFolder } from '../files/folder-paths';

/**
 * What the app takes as input: whatever was dropped or picked, folders and decks mixed. Each
 * folder is discovered as `--input-dir` would, the loose files together as `--input-files`;
 * the batch's input root is the deepest folder holding them all, so the output mirrors it.
 */

/** A folder beside the input, so the copies never land among the originals: `Fall (alt text)`. */
export function suggestOutputDir(inputRoot: string): string {
  const name = path.basename(inputRoot);
  return name ? path.join(path.dirname(inputRoot), `${name} (alt text)`) : path.join(inputRoot, 'AltGen output');
}

async function isFolder(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** The folders among `paths`, and the folder of each file: where the user was working. */
export async function foldersOf(paths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const given of paths) folders.push((await isFolder(given)) ? given : path.dirname(given));
  return folders;
}

/**
 * Discovers the decks under `paths`. `outputDir` is left out of folder walks when it lies
 * inside one; null means the folder each walk would suggest.
 */
export async function discoverPaths(paths: readonly string[], outputDir: string | null): Promise<Discovery> {
  const folders: string[] = [];
  const files: string[] = [];
  for (const given of paths) (await isFolder(given) ? folders : files).push(path.resolve(given));
  const sources: Discovery[] = [];
  const warnings: string[] = [];
  for (const folder of folders) {
    const excluded = outputDir ?? suggestOutputDir(folder);
    try {
      sources.push(await discoverInputs({ inputDir: folder, outputDir: excluded }));
    } catch (error) {
      // One empty folder among several is worth a warning, not a refusal of the rest.
      if (!(error instanceof DiscoveryError && error.code === 'ENO_DECKS' && paths.length > 1)) throw error;
      warnings.push(error.message);
    }
  }
  if (files.length > 0) sources.push(await discoverInputs({ inputFiles: files, outputDir: outputDir ?? path.dirname(files[0] ?? '') }));
  const [only] = sources;
  if (sources.length === 1 && only) return { ...only, warnings: [...warnings, ...only.warnings] };
  const seen = new Set<string>();
  const merged: DiscoveredFile[] = [];
  for (const file of sources.flatMap((source) => source.files)) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    merged.push(file);
  }
  if (merged.length === 0) throw new DiscoveryError('ENO_DECKS', `No PowerPoint files in ${paths.join(', ')}.`);
  const inputRoot = deepestCommonFolder(sources.map((source) => source.inputRoot)) ?? path.dirname(merged[0]?.path ?? '');
  return { inputRoot, files: merged, warnings: [...warnings, ...sources.flatMap((source) => source.warnings)] };
}

export function previewOf(discovery: Discovery): DiscoveryPreview {
  const files = discovery.files.map((file): DiscoveredRow => {
    const relative = path.relative(discovery.inputRoot, file.path);
    const disposition = file.disposition;
    return {
      path: file.path,
      relative_path: relative && !relative.startsWith('..') ? relative : file.path,
      action: disposition.kind,
      code: disposition.kind === 'process' ? null : disposition.code,
      // A processed file may carry a note (a 2007+ deck with a 97–2003 name: its copy is named .pptx).
      reason: disposition.kind === 'process' ? (disposition.note ?? null) : disposition.reason,
    };
  });
  return {
    input_root: discovery.inputRoot,
    suggested_output_dir: suggestOutputDir(discovery.inputRoot),
    files,
    warnings: discovery.warnings,
  };
}
