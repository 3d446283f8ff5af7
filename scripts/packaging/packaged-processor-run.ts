import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { deckEntries, writeZip } from '../../src/main/fixtures/deck-builder';

/**
 * Runs the packaged processor the way the packaged app does, but with plain Node: the app starts
 * `<its Electron binary> app.asar.unpacked/out/main/processor.js process …` with
 * ELECTRON_RUN_AS_NODE=1 (main.ts), so the processor, the modules it imports, sharp's native
 * library and the OCR worker's script, WebAssembly and language data are read as real files
 * from app.asar.unpacked, never through Electron's asar support. Plain Node reads the same
 * files the same way; only the Node version differs (Electron's own).
 *
 * The deck is a labelled diagram, processed with `model.provider: offline`: no model server is
 * needed, and the draft holds the labels only if sharp decoded the picture and the OCR engine
 * started and read it.
 */

export type ProcessorRun =
  | { readonly ok: true; readonly textInImage: string }
  | { readonly ok: false; readonly reason: string };

const LABELS = ['Right atrium', 'Left atrium', 'Right ventricle', 'Left ventricle'] as const;
const CONFIG = `model:
  provider: offline
alt_text:
  read_text_in_images: true
cache:
  enabled: false
`;
/** Generous: a busy two-core machine starts the OCR engine in seconds; this only catches a hang. */
const HANG_TIMEOUT_MS = 180_000;

export async function runPackagedProcessor(unpackedDir: string, workDir: string): Promise<ProcessorRun> {
  const entry = path.join(unpackedDir, 'out', 'main', 'processor.js');
  if (!existsSync(entry)) {
    return { ok: false, reason: 'out/main/processor.js is not in app.asar.unpacked, so the app cannot start the processor.' };
  }
  const leak = folderWithNodeModulesAbove(unpackedDir);
  if (leak) {
    return { ok: false, reason: `cannot run it in isolation: ${leak} holds a node_modules folder that Node would also search; set TMPDIR to another folder.` };
  }
  const runDir = path.join(workDir, 'processor-run');
  const home = path.join(runDir, 'home');
  await mkdir(home, { recursive: true });
  const deck = path.join(runDir, 'labelled-diagram.pptx');
  await writeLabelledDiagramDeck(deck);
  const config = path.join(runDir, 'config.yaml');
  await writeFile(config, CONFIG);
  const output = path.join(runDir, 'labelled-diagram-accessible.pptx');

  const run = await runNode([entry, 'process', deck, '--output', output, '--config', config], runDir, {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    LANG: 'C.UTF-8',
  });
  if (run.timedOut) return { ok: false, reason: `it did not finish within ${HANG_TIMEOUT_MS / 1000} s.` };
  const result = resultEvent(run.stdout);
  if (run.code !== 0 || !result) {
    return { ok: false, reason: `it exited with code ${run.code ?? 'none'}: ${firstError(run.stderr)}` };
  }
  const reports = Array.isArray(result['reports']) ? result['reports'].filter((report): report is string => typeof report === 'string') : [];
  const altTextReport = reports.find((report) => report.endsWith('.alt-text.json'));
  if (!altTextReport) return { ok: false, reason: 'it wrote no <deck>.alt-text.json report.' };
  const textInImage = textInFirstPicture(JSON.parse(await readFile(altTextReport, 'utf8')) as unknown);
  if (!LABELS.some((label) => textInImage.includes(label))) {
    const warnings = Array.isArray(result['warnings']) ? result['warnings'].join(' ') : '';
    return { ok: false, reason: `it read no labels in the diagram, so sharp or the OCR engine did not load${warnings ? ` (${warnings})` : ''}.` };
  }
  return { ok: true, textInImage };
}

/** A one-slide deck whose picture is a heart diagram with four printed labels. */
async function writeLabelledDiagramDeck(file: string): Promise<void> {
  const corners = [
    [40, 75],
    [660, 75],
    [20, 470],
    [640, 470],
  ] as const;
  const labels = LABELS.map(
    (label, index) => `<text x="${corners[index]?.[0]}" y="${corners[index]?.[1]}" font-family="DejaVu Sans" font-size="26" fill="#111">${label}</text>`,
  ).join('');
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="500"><rect width="900" height="500" fill="white"/>' +
    `<ellipse cx="450" cy="260" rx="150" ry="190" fill="#d66" stroke="#600" stroke-width="4"/>${labels}</svg>`;
  const entries = deckEntries({
    title: 'Cardiac anatomy',
    slides: [{ title: 'Chambers of the heart', pictures: [{ name: 'Heart diagram', imageSize: 900 }] }],
  });
  entries.set('ppt/media/image1.png', await sharp(Buffer.from(svg)).png().toBuffer());
  await writeZip(file, entries);
}

function folderWithNodeModulesAbove(dir: string): string | null {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'node_modules'))) return current;
    if (path.dirname(current) === current) return null;
  }
}

interface NodeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, HANG_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), timedOut });
    });
  });
}

/** The processor protocol's final `{"type":"result",…}` line, or null. */
function resultEvent(stdout: string): Record<string, unknown> | null {
  for (const line of stdout.split('\n').reverse()) {
    try {
      const event: unknown = JSON.parse(line);
      if (typeof event === 'object' && event !== null && (event as Record<string, unknown>)['type'] === 'result') return event as Record<string, unknown>;
    } catch {
      // not a protocol line
    }
  }
  return null;
}

function firstError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? 'it printed nothing';
}

function textInFirstPicture(report: unknown): string {
  const pictures = typeof report === 'object' && report !== null ? (report as Record<string, unknown>)['pictures'] : null;
  const first: unknown = Array.isArray(pictures) ? pictures[0] : null;
  const text = typeof first === 'object' && first !== null ? (first as Record<string, unknown>)['text_in_image'] : null;
  return typeof text === 'string' ? text : '';
}
