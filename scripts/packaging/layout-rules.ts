import { assertNever } from '../../src/shared/assert-never';
import type { PackagedFile } from './packaged-files';
import { npmPackageDir } from './packaged-files';
import type { Placement, RequiredFile } from './required-files';

/**
 * The rules a packaged app's layout must keep, as a pure function of its files, the files its
 * code needs (required-files.ts) and the lockfile. Each broken rule is one LayoutProblem;
 * `describeProblems` turns them into lines that say what to change in electron-builder.yml.
 */

export type ShippedKind = 'test file' | 'source map' | 'dev dependency' | 'git metadata' | 'package not in package-lock.json';

/** Why a file must be a real file outside app.asar. */
export type OutsideReason = Exclude<Placement, 'archive'> | 'native';

export type LayoutProblem =
  /** The code needs this file and the package does not have it. */
  | { readonly code: 'EMISSING'; readonly file: string; readonly neededBy: string }
  /** It is inside app.asar, where its reader cannot see it. */
  | { readonly code: 'EPACKED'; readonly file: string; readonly reason: OutsideReason; readonly neededBy: string | null }
  /** It must not ship at all. */
  | { readonly code: 'ESHIPPED'; readonly file: string; readonly kind: ShippedKind }
  /** The archive's index lists it as unpacked but app.asar.unpacked lacks it. */
  | { readonly code: 'EUNPACKED_ABSENT'; readonly file: string };

/** The `packages` map of package-lock.json (lockfile version 2 or 3). */
export interface Lockfile {
  readonly packages: Readonly<Record<string, { readonly version?: string; readonly dev?: boolean; readonly devOptional?: boolean }>>;
}

/** The version in each packaged npm package's package.json, by its folder (`node_modules/nanoid`). */
export type PackagedVersions = ReadonlyMap<string, string>;

/**
 * The lockfile's entry for a packaged npm package folder. electron-builder flattens the
 * production tree: a production dependency nested in the project (`node_modules/docx/
 * node_modules/nanoid`, because a dev tool holds `node_modules/nanoid` at another version)
 * ships as `node_modules/nanoid`. So the entry at the same path counts only when its version
 * is the packaged one; otherwise the entry of that name and version elsewhere in the tree is
 * the one that shipped.
 */
function lockedEntryOf(packageDir: string, lockfile: Lockfile, versions: PackagedVersions): Lockfile['packages'][string] | undefined {
  const direct = lockfile.packages[packageDir];
  const version = versions.get(packageDir);
  if (version === undefined || direct?.version === version) return direct;
  const name = packageDir.slice(packageDir.lastIndexOf('node_modules/'));
  const sameName = Object.entries(lockfile.packages).filter(([key, entry]) => key.endsWith(`/${name}`) && entry.version === version);
  // A production copy of that version anywhere in the tree is what shipped, else a dev one.
  return sameName.find(([, entry]) => entry.dev !== true && entry.devOptional !== true)?.[1] ?? sameName[0]?.[1] ?? direct;
}

/** Native code is opened by the system's dynamic loader, which reads only real files. */
const NATIVE_FILE = /\.(node|dylib|dll)$|\.so(\.\d+)*$/;
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__', '__mocks__']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

export function isNativeFile(file: string): boolean {
  return NATIVE_FILE.test(file);
}

/** Why `file` must not ship, or null when it may. */
export function shippedKind(file: string, lockfile: Lockfile, versions: PackagedVersions = new Map()): ShippedKind | null {
  const segments = file.split('/');
  if (segments.includes('.git')) return 'git metadata';
  if (file.endsWith('.map')) return 'source map';
  if (TEST_FILE.test(file) || segments.slice(0, -1).some((segment) => TEST_FOLDERS.has(segment))) return 'test file';
  const packageDir = npmPackageDir(file);
  if (packageDir) {
    const locked = lockedEntryOf(packageDir, lockfile, versions);
    if (!locked) return 'package not in package-lock.json';
    if (locked.dev === true || locked.devOptional === true) return 'dev dependency';
  }
  return null;
}

export function layoutProblems(input: {
  readonly files: ReadonlyMap<string, PackagedFile>;
  readonly absentUnpacked: readonly string[];
  readonly required: readonly RequiredFile[];
  readonly lockfile: Lockfile;
  readonly versions?: PackagedVersions;
}): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  for (const need of input.required) {
    const packaged = input.files.get(need.path);
    if (!packaged) problems.push({ code: 'EMISSING', file: need.path, neededBy: need.neededBy });
    else if (need.placement !== 'archive' && !packaged.unpacked) {
      const reason = isNativeFile(need.path) ? 'native' : need.placement;
      problems.push({ code: 'EPACKED', file: need.path, reason, neededBy: need.neededBy });
    }
  }
  const reported = new Set(problems.map((problem) => problem.file));
  for (const file of input.files.values()) {
    if (isNativeFile(file.path) && !file.unpacked && !reported.has(file.path)) {
      problems.push({ code: 'EPACKED', file: file.path, reason: 'native', neededBy: null });
    }
    const kind = shippedKind(file.path, input.lockfile, input.versions);
    if (kind) problems.push({ code: 'ESHIPPED', file: file.path, kind });
  }
  for (const file of input.absentUnpacked) problems.push({ code: 'EUNPACKED_ABSENT', file });
  return problems;
}

const OUTSIDE_READER: Readonly<Record<OutsideReason, string>> = {
  'child-process': 'the processor (a child process started from app.asar.unpacked) loads it',
  worker: 'a worker thread (OCR, dry run) loads it',
  native: 'it is native code, which the system loader opens only from a real file',
};

/**
 * One line per package (or top-level folder) and kind of problem, naming a file, how many there
 * are, and what to do.
 */
export function describeProblems(problems: readonly LayoutProblem[]): string[] {
  const groups = new Map<string, { readonly first: LayoutProblem; count: number }>();
  for (const problem of problems) {
    const key = `${groupKey(problem)}\u0000${problemHeading(problem)}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { first: problem, count: 1 });
  }
  return [...groups.values()].map(({ first, count }) => {
    const others = count > 1 ? ` (and ${count - 1} more file${count === 2 ? '' : 's'} of ${groupKey(first)})` : '';
    return `${first.file}${others}: ${problemHeading(first)}`;
  });
}

function groupKey(problem: LayoutProblem): string {
  return npmPackageDir(problem.file) ?? problem.file.split('/').slice(0, -1).join('/');
}

function problemHeading(problem: LayoutProblem): string {
  switch (problem.code) {
    case 'EMISSING':
      return `needed by ${problem.neededBy} but not in the package; check the \`files\` patterns in electron-builder.yml.`;
    case 'EPACKED':
      return `inside app.asar, but ${OUTSIDE_READER[problem.reason]}; add its package to \`asarUnpack\` in electron-builder.yml.`;
    case 'ESHIPPED':
      return `a ${problem.kind} ships in the package; exclude it in the \`files\` patterns of electron-builder.yml.`;
    case 'EUNPACKED_ABSENT':
      return 'listed as unpacked in app.asar but missing from app.asar.unpacked; the build is incomplete.';
    default:
      return assertNever(problem, 'layout problem');
  }
}
