import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeProblems, layoutProblems, type LayoutProblem, type Lockfile } from './layout-rules';
import { packagedVersions, packageSize, readPackagedApp, type PackageSize } from './packaged-files';
import { runPackagedProcessor, type ProcessorRun } from './packaged-processor-run';
import { requiredFiles } from './required-files';
import { StandInBuildError, buildWithStandInElectron } from './stand-in-build';

/**
 * `npm run dist:check`: the installer's contents, checked without downloading Electron.
 *
 * It builds the app's Linux `--dir` layout from the current `out/` with electron-builder and a
 * stand-in Electron (stand-in-build.ts), then checks, with @electron/asar's index of app.asar:
 * - every file the code needs (required-files.ts) is in the package, and every file the
 *   processor (a child process), the OCR worker or the system loader (native code) reads is
 *   unpacked;
 * - no test file, source map, dev dependency or .git metadata ships;
 * and runs the packaged processor from app.asar.unpacked with plain Node on a labelled diagram
 * (packaged-processor-run.ts). It prints the package's size.
 *
 * What only a real `npm run dist` on each OS can show: fuses flipped in the real binary,
 * installers (AppImage, deb, NSIS, dmg), signing, notarisation, auto-update, and the Windows
 * and macOS layouts with their own native packages (docs/packaging.md).
 */

export interface DistCheckReport {
  readonly problems: readonly LayoutProblem[];
  readonly processorRun: ProcessorRun;
  readonly size: PackageSize;
  readonly requiredCount: number;
  readonly outsideArchiveCount: number;
}

export class DistCheckSetupError extends Error {
  override readonly name = 'DistCheckSetupError';
  readonly code = 'ESETUP';
}

export function passed(report: DistCheckReport): boolean {
  return report.problems.length === 0 && report.processorRun.ok;
}

export async function runDistCheck(options: { readonly projectDir: string; readonly configFile: string; readonly workDir: string }): Promise<DistCheckReport> {
  const { projectDir, configFile, workDir } = options;
  if (process.platform !== 'linux') {
    throw new DistCheckSetupError('The packaging check runs on Linux: it packages the native modules installed here, which are Linux ones.');
  }
  for (const entry of ['out/main/electron.js', 'out/main/processor.js', 'out/preload/preload.cjs']) {
    if (!existsSync(path.join(projectDir, entry))) throw new DistCheckSetupError(`The app is not built (${entry} is missing); run \`npm run build\` first.`);
  }
  const lockfile = JSON.parse(await readFile(path.join(projectDir, 'package-lock.json'), 'utf8')) as Lockfile;
  const [build, required] = await Promise.all([buildWithStandInElectron({ projectDir, configFile, workDir }), requiredFiles(projectDir)]);
  const app = readPackagedApp(build.resourcesDir);
  const problems = layoutProblems({ files: app.files, absentUnpacked: app.absentUnpacked, required, lockfile, versions: packagedVersions(app) });
  const processorRun = await runPackagedProcessor(app.unpackedDir, workDir);
  return {
    problems,
    processorRun,
    size: packageSize(app),
    requiredCount: required.length,
    outsideArchiveCount: required.filter((file) => file.placement !== 'archive').length,
  };
}

export function formatReport(report: DistCheckReport): string[] {
  const { size } = report;
  const lines = [
    `Package: ${megabytes(size.archiveBytes + size.unpackedBytes)} (app.asar ${megabytes(size.archiveBytes)}, ${size.archiveFiles} files; ` +
      `app.asar.unpacked ${megabytes(size.unpackedBytes)}, ${size.unpackedFiles} files)`,
    `Largest packages: ${size.largest.map((entry) => `${entry.name} ${megabytes(entry.bytes)}`).join(', ')}`,
    `Files the code needs: ${report.requiredCount}, of which ${report.outsideArchiveCount} must be outside app.asar (processor, OCR worker)`,
  ];
  const problems = describeProblems(report.problems);
  lines.push(problems.length === 0 ? '✓ Layout: every needed file is in place; no tests, source maps, dev dependencies or .git ship' : '✗ Layout:');
  lines.push(...problems.map((problem) => `  ✗ ${problem}`));
  lines.push(
    report.processorRun.ok
      ? `✓ The packaged processor, run from app.asar.unpacked with plain Node (as the app runs it with ELECTRON_RUN_AS_NODE), read the labelled diagram: "${report.processorRun.textInImage}"`
      : `✗ The packaged processor, run from app.asar.unpacked with plain Node (as the app runs it with ELECTRON_RUN_AS_NODE), failed: ${report.processorRun.reason}`,
  );
  lines.push(passed(report) ? 'Packaging check passed.' : 'Packaging check failed: fix electron-builder.yml as the lines above say.');
  return lines;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const USAGE = 'usage: dist-check [--config electron-builder.yml] [--keep]';

async function main(): Promise<number> {
  const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  let values: { config?: string; keep?: boolean };
  try {
    ({ values } = parseArgs({ options: { config: { type: 'string' }, keep: { type: 'boolean' } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const configFile = path.resolve(values.config ?? path.join(projectDir, 'electron-builder.yml'));
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'altgen-dist-check-'));
  process.stdout.write('Packaging check: electron-builder --dir --linux with a stand-in Electron (fuses, signing and installers are not covered)\n');
  try {
    const report = await runDistCheck({ projectDir, configFile, workDir });
    process.stdout.write(`${formatReport(report).join('\n')}\n`);
    return passed(report) ? 0 : 1;
  } catch (error) {
    if (error instanceof DistCheckSetupError || error instanceof StandInBuildError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    if (values.keep) process.stdout.write(`Kept the build in ${path.join(workDir, 'dist')}\n`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
