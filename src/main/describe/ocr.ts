import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { outsideAsar } from '../files/outside-asar';
import { DEFAULT_MAX_INPUT_PIXELS } from './image-prep';

/**
 * Reads the text in a picture (OCR) on this computer, with tesseract.js and the English data
 * of @tesseract.js-data/eng: no network, no model server.
 *
 * What it guarantees:
 * - One engine per reader, started on the first `read` and reused; `close` ends it. An idle
 *   engine does not keep the process alive, so a forgotten `close` cannot hang a processor.
 * - Labels in any colour on any background: the picture is read as it is, then, when its
 *   grey levels show marks darker or lighter than its background that a plain reading may
 *   miss (black on dark brown, yellow on a noisy dark photo), once more per such polarity
 *   with the background stretched to white and those marks to black (`contrastWindow`); the
 *   reading with the most confident text wins. Cost: one greyscale decode and histogram of
 *   the prepared picture (two for a transparent one), and at most two more recognitions of
 *   it (as many pixels as the first); a dark-on-white picture, the usual diagram, gets none.
 * - Every `read` settles: an image that takes longer than `timeoutMs` (all its passes
 *   together) ends the engine and resolves with what was read before then, or an empty
 *   result, and a reason (the next read starts a fresh engine); after
 *   `maxFailures` such pictures, or when the engine cannot start, `read` rejects with a
 *   TextReaderError `EOCR_UNAVAILABLE` and the caller goes on without OCR.
 * - The engine's own console output (tesseract prints diagnostics) is captured, never written
 *   to this process's stdout, which carries the processor protocol.
 *
 * What it does not do: recognise languages other than English, or text in photos of scenes
 * (it reads rendered and scanned text: labels, tables, slides in slides).
 *
 * Why it drives tesseract.js's worker script itself instead of calling `createWorker`:
 * tesseract.js 7.0.0's `createWorker` never settles when the language data fails to load (its
 * thread then keeps the process alive for ever), throws an uncaught TypeError that kills the
 * process when the data is corrupt, and lets its thread print to our stdout. Spawning the same
 * worker script on a thread we own keeps termination, errors and output in our hands; the
 * message protocol is that of the pinned version (7.0.0), and ocr.test.ts exercises it for real.
 */

export interface RecognisedWord {
  readonly text: string;
  /** Tesseract's confidence, 0–100. */
  readonly confidence: number;
}

export interface RecognisedText {
  /**
   * The text in reading order, one entry per line; words on one line that stand far apart
   * (the labels of a diagram, the cells of a table row) are separate entries.
   */
  readonly lines: readonly string[];
  /** The words kept after dropping noise, in reading order. */
  readonly words: readonly RecognisedWord[];
  /** `lines` joined with ' · ' ('' when nothing was found). */
  readonly text: string;
  /** Mean confidence of the kept words, 0–100 (0 when none). */
  readonly confidence: number;
  /** Why the picture was not read (it took too long), else null. */
  readonly incomplete: string | null;
}

export interface TextReader {
  /** Reads a PNG or JPEG (the ≤1024 px image the model is sent). */
  read(image: Buffer): Promise<RecognisedText>;
  /** Ends the engine; reads still waiting reject with `EOCR_CLOSED`. */
  close(): Promise<void>;
}

export interface TextReaderOptions {
  /** Longest time one picture may take, in ms (default 20 000). */
  readonly timeoutMs?: number;
  /** Longest time starting the engine may take, in ms (default 30 000). */
  readonly startTimeoutMs?: number;
  /** Words recognised with less confidence than this (0–100) are dropped (default 60). */
  readonly minConfidence?: number;
  /** Pictures that may time out or crash the engine before OCR is switched off (default 2). */
  readonly maxFailures?: number;
  /** Folder holding `eng.traineddata.gz` (default: the one in @tesseract.js-data/eng). */
  readonly languageDataDir?: string;
}

export type TextReaderErrorCode =
  /** The engine cannot start, or was switched off after repeated failures: skip OCR. */
  | 'EOCR_UNAVAILABLE'
  /** This picture could not be read (not a PNG/JPEG the engine decodes). */
  | 'EOCR_IMAGE'
  /** The reader was closed. */
  | 'EOCR_CLOSED';

export class TextReaderError extends Error {
  override readonly name = 'TextReaderError';

  constructor(
    readonly code: TextReaderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_OCR_TIMEOUT_MS = 20_000;
const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_MIN_CONFIDENCE = 60;
const DEFAULT_MAX_FAILURES = 2;
/** A single character survives only as a confident letter or digit ("A", "2"). */
const SINGLE_CHARACTER_MIN_CONFIDENCE = 85;
/** Words further apart than this many line heights belong to separate labels or cells. */
const LABEL_GAP_LINE_HEIGHTS = 1.5;
/** Pictures smaller than this (longest side, px) are enlarged ×2: small print reads better. */
const UPSCALE_BELOW_PX = 600;
const LINE_SEPARATOR = ' · ';
/** LSTM only: the `_best_int` data holds no legacy-engine model. */
const OEM_LSTM_ONLY = 1;
const PSM_AUTO = '3';

const requireFromHere = createRequire(import.meta.url);

/** The folder of the English data shipped in @tesseract.js-data/eng (LSTM, integer model). */
export function defaultLanguageDataDir(): string {
  return path.join(path.dirname(requireFromHere.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/**
 * The engine's thread loads its code, WebAssembly and language data from app.asar.unpacked
 * (electron-builder.yml unpacks them), so that it does not depend on asar support in worker
 * threads.
 */
export { outsideAsar };

export function createTextReader(options: TextReaderOptions = {}): TextReader {
  return new TesseractTextReader({
    timeoutMs: options.timeoutMs ?? DEFAULT_OCR_TIMEOUT_MS,
    startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
    maxFailures: options.maxFailures ?? DEFAULT_MAX_FAILURES,
    languageDataDir: options.languageDataDir ?? null,
  });
}

/** Nothing read; `incomplete` says why when reading was cut short. */
function emptyRecognisedText(incomplete: string | null = null): RecognisedText {
  return { lines: [], words: [], text: '', confidence: 0, incomplete };
}

type Settings = Required<Omit<TextReaderOptions, 'languageDataDir'>> & { readonly languageDataDir: string | null };

class TesseractTextReader implements TextReader {
  private engine: Promise<TesseractThread> | null = null;
  private unavailable: TextReaderError | null = null;
  private failures = 0;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly settings: Settings) {}

  read(image: Buffer): Promise<RecognisedText> {
    const turn = this.queue.then(() => this.readNow(image));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.endEngine();
  }

  private async readNow(image: Buffer): Promise<RecognisedText> {
    if (this.closed) throw new TextReaderError('EOCR_CLOSED', 'The text reader was closed.');
    if (this.unavailable) throw this.unavailable;
    const engine = await this.startedEngine();
    if (this.closed) throw new TextReaderError('EOCR_CLOSED', 'The text reader was closed.');
    // The best reading so far: kept when a later pass runs out of time.
    const read: { best: RecognisedText | null } = { best: null };
    try {
      // One budget for every pass of this picture: the read settles within timeoutMs.
      await withTimeout(this.readPasses(engine, image, read), this.settings.timeoutMs);
    } catch (error) {
      if (this.closed) throw new TextReaderError('EOCR_CLOSED', 'The text reader was closed.');
      if (error instanceof TimeoutError) {
        await this.failed();
        const reason = `Reading the text in this picture took longer than ${duration(this.settings.timeoutMs)}.`;
        return read.best ? { ...read.best, incomplete: reason } : emptyRecognisedText(reason);
      }
      if (error instanceof EngineStoppedError) {
        await this.failed();
        throw new TextReaderError('EOCR_IMAGE', `The text in this picture could not be read: the OCR engine stopped (${error.message}).`);
      }
      throw new TextReaderError('EOCR_IMAGE', `The text in this picture could not be read: ${messageOf(error)}.`);
    }
    return read.best ?? emptyRecognisedText();
  }

  /** The plain reading, then each contrast pass; the reading with the most confident text is kept in `read.best`. */
  private async readPasses(engine: TesseractThread, image: Buffer, read: { best: RecognisedText | null }): Promise<void> {
    const picture = await prepareForOcr(image);
    read.best = await this.recognised(engine, picture.plain);
    for (const pass of await contrastPasses(picture)) {
      const reading = await this.recognised(engine, pass);
      if (textScore(reading) > textScore(read.best)) read.best = reading;
    }
  }

  private async recognised(engine: TesseractThread, png: Uint8Array): Promise<RecognisedText> {
    const page = await engine.run('recognize', { image: png, options: {}, output: { text: false, blocks: true } });
    return recognisedTextFromPage(page, this.settings.minConfidence);
  }

  /** Ends a misbehaving engine (the next read starts a new one) and counts the failure. */
  private async failed(): Promise<void> {
    await this.endEngine();
    this.failures += 1;
    if (this.failures < this.settings.maxFailures) return;
    const pictures = this.failures === 1 ? '1 picture' : `${this.failures} pictures`;
    this.unavailable = new TextReaderError(
      'EOCR_UNAVAILABLE',
      `Text recognition (OCR) was switched off after ${pictures} took longer than ${duration(this.settings.timeoutMs)} to read or stopped the OCR engine.`,
    );
  }

  private startedEngine(): Promise<TesseractThread> {
    this.engine ??= startEngine(this.settings).catch((error: unknown) => {
      this.engine = null;
      this.unavailable =
        error instanceof TextReaderError ? error : new TextReaderError('EOCR_UNAVAILABLE', `Could not start text recognition (OCR): ${messageOf(error)}.`);
      throw this.unavailable;
    });
    return this.engine;
  }

  private async endEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    if (!engine) return;
    const started = await engine.catch(() => null);
    await started?.terminate();
  }
}

async function startEngine(settings: Settings): Promise<TesseractThread> {
  const unavailable = (cause: string): TextReaderError => new TextReaderError('EOCR_UNAVAILABLE', `Could not start text recognition (OCR): ${cause}.`);
  let dataDir: string;
  let workerScript: string;
  try {
    dataDir = outsideAsar(settings.languageDataDir ?? defaultLanguageDataDir());
    workerScript = outsideAsar(requireFromHere.resolve('tesseract.js/src/worker-script/node/index.js'));
  } catch (error) {
    throw unavailable(`tesseract.js or its English data is not installed (${messageOf(error)})`);
  }
  const dataFile = path.join(dataDir, 'eng.traineddata.gz');
  try {
    await access(dataFile, fsConstants.R_OK);
  } catch {
    throw unavailable(`the English language data is missing (${dataFile})`);
  }
  const engine = new TesseractThread(workerScript);
  let step = 'the OCR engine could not be loaded';
  try {
    await withTimeout(
      (async () => {
        await engine.run('load', { options: { lstmOnly: true, logging: false } });
        step = `the English language data in ${dataDir} could not be loaded`;
        await engine.run('loadLanguage', {
          langs: 'eng',
          options: { langPath: dataDir, cacheMethod: 'none', gzip: true, lstmOnly: true },
        });
        await engine.run('initialize', { langs: 'eng', oem: OEM_LSTM_ONLY, config: {} });
        step = 'the OCR engine could not be set up';
        // The engine's default is one uniform block, which misses text between table rules.
        await engine.run('setParameters', { params: { tessedit_pageseg_mode: PSM_AUTO } });
      })(),
      settings.startTimeoutMs,
    );
    return engine;
  } catch (error) {
    await engine.terminate();
    if (error instanceof TimeoutError) throw unavailable(`it did not start within ${duration(settings.startTimeoutMs)}`);
    const printed = engine.lastOutput();
    throw unavailable(`${step}: ${messageOf(error)}${printed ? ` (${printed})` : ''}`);
  }
}

interface PreparedPicture {
  /** As the engine reads it first: transparency onto white, upright, small pictures ×2. */
  readonly plain: Uint8Array;
  /** The same picture before encoding, for the contrast passes. */
  readonly upright: Sharp;
  readonly hasAlpha: boolean;
}

/** Transparency onto white (slide pictures are often transparent PNGs), small pictures ×2. */
async function prepareForOcr(image: Buffer): Promise<PreparedPicture> {
  const input = { limitInputPixels: DEFAULT_MAX_INPUT_PIXELS };
  let width: number;
  let hasAlpha: boolean;
  try {
    const metadata = await sharp(image, input).metadata();
    width = metadata.autoOrient.width;
    hasAlpha = metadata.hasAlpha;
    if (Math.max(width, metadata.autoOrient.height) >= UPSCALE_BELOW_PX) width = 0;
  } catch (error) {
    throw new Error(`not an image the OCR step can decode (${messageOf(error)})`);
  }
  let upright = sharp(image, input).rotate();
  if (width > 0) upright = upright.resize({ width: width * 2 });
  const plain = new Uint8Array(await upright.clone().flatten({ background: '#ffffff' }).png({ compressionLevel: 1 }).toBuffer());
  return { plain, upright, hasAlpha };
}

/**
 * The contrast passes worth running on a picture (at most two): dark marks on a background
 * that is not light, and light marks on any background. Light labels of a transparent picture
 * show only over black, so the light pass flattens transparency onto black.
 */
async function contrastPasses(picture: PreparedPicture): Promise<Uint8Array[]> {
  const greys = new Map<string, Promise<{ data: Buffer; info: OutputInfo }>>();
  const grey = (background: string) => {
    let decoded = greys.get(background);
    if (!decoded) {
      decoded = picture.upright.clone().flatten({ background }).greyscale().raw().toBuffer({ resolveWithObject: true });
      greys.set(background, decoded);
    }
    return decoded;
  };
  const passes: Uint8Array[] = [];
  for (const polarity of ['dark', 'light'] as const) {
    const { data, info } = await grey(polarity === 'light' && picture.hasAlpha ? '#000000' : '#ffffff');
    const window = contrastWindow(greyHistogram(data), polarity);
    if (!window) continue;
    const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
      .linear(window.scale, window.offset)
      .png({ compressionLevel: 1 })
      .toBuffer();
    passes.push(new Uint8Array(png));
  }
  return passes;
}

function greyHistogram(grey: Uint8Array): number[] {
  const histogram = new Array<number>(256).fill(0);
  for (const level of grey) histogram[level] = (histogram[level] ?? 0) + 1;
  return histogram;
}

/** Marks that differ from the background by this many grey levels may be text worth a pass. */
const MARK_CONTRAST = 24;
/** ...when at least this share of the pixels are such marks (text covers a few per cent). */
const MIN_MARK_SHARE = 0.002;
/** Levels this close to the background are background (noise, JPEG ringing): mapped to white. */
const BACKGROUND_MARGIN = 12;
/**
 * A grainy background spreads: levels up to its 10th (dark pass) or from its 90th (light pass)
 * percentile count as background too, while text, a few per cent of the pixels, stays ink.
 */
const BACKGROUND_SPREAD = 0.1;
/** A background at least this light already gives dark marks full contrast: no dark pass. */
const LIGHT_BACKGROUND = 200;
/** The ink level is taken this far into the histogram's tail, so a few stray pixels do not set it. */
const INK_PERCENTILE = 0.005;

/** A grey-level map `out = scale × in + offset` (clamped) that makes marks black on white. */
export interface ContrastWindow {
  readonly scale: number;
  readonly offset: number;
}

/**
 * From a greyscale histogram (256 counts): the map that turns marks of one polarity black and
 * the background (the median level) and everything on its other side white, or null when the
 * picture has no such marks worth a pass. Stretching against the background, not the whole
 * range, is what finds black text on dark brown beside a bright shape: a plain stretch keeps
 * the text and its background a few levels apart.
 */
export function contrastWindow(histogram: readonly number[], polarity: 'dark' | 'light'): ContrastWindow | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const percentile = (share: number): number => {
    let seen = 0;
    for (let level = 0; level < 256; level += 1) {
      seen += histogram[level] ?? 0;
      if (seen >= total * share) return level;
    }
    return 255;
  };
  const background = percentile(0.5);
  const marks = (from: number, to: number): number => histogram.slice(Math.max(0, from), Math.min(256, to + 1)).reduce((sum, count) => sum + count, 0);
  if (polarity === 'dark') {
    if (background >= LIGHT_BACKGROUND || marks(0, background - MARK_CONTRAST) < total * MIN_MARK_SHARE) return null;
    const ink = percentile(INK_PERCENTILE);
    const paper = Math.min(background - BACKGROUND_MARGIN, Math.max(percentile(BACKGROUND_SPREAD), ink + MARK_CONTRAST / 2));
    if (paper <= ink) return null;
    const scale = 255 / (paper - ink);
    return { scale, offset: -scale * ink };
  }
  if (marks(background + MARK_CONTRAST, 255) < total * MIN_MARK_SHARE) return null;
  const ink = percentile(1 - INK_PERCENTILE);
  const paper = Math.max(background + BACKGROUND_MARGIN, Math.min(percentile(1 - BACKGROUND_SPREAD), ink - MARK_CONTRAST / 2));
  if (ink <= paper) return null;
  const scale = -255 / (ink - paper);
  return { scale, offset: -scale * ink };
}

/** How much confident text a reading holds: its words' letters and digits, weighted by confidence. */
function textScore(text: RecognisedText): number {
  return text.words.reduce((sum, word) => sum + countAlphanumerics(word.text) * word.confidence, 0);
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

interface PageWord {
  readonly text: string;
  readonly confidence: number;
  readonly bbox: Box;
}

interface PageLine {
  readonly words: readonly PageWord[];
  readonly bbox: Box;
}

/**
 * Tesseract's page (blocks → paragraphs → lines → words) as RecognisedText: words below
 * `minConfidence`, words without a letter or digit ("|" from rules and borders) and unsure
 * single characters are dropped; lines are split where words stand far apart; entries with
 * fewer than two letters or digits are dropped.
 */
export function recognisedTextFromPage(page: unknown, minConfidence: number): RecognisedText {
  const lines: string[] = [];
  const words: RecognisedWord[] = [];
  for (const line of pageLines(page)) {
    const height = Math.max(1, line.bbox.y1 - line.bbox.y0);
    let run: PageWord[] = [];
    const endRun = (): void => {
      const text = run.map((word) => word.text).join(' ');
      if (countAlphanumerics(text) >= 2) {
        lines.push(text);
        words.push(...run.map(({ text: wordText, confidence }) => ({ text: wordText, confidence })));
      }
      run = [];
    };
    for (const word of line.words) {
      const kept = keptWord(word, minConfidence);
      if (!kept) continue;
      const previous = run.at(-1);
      if (previous && kept.bbox.x0 - previous.bbox.x1 > LABEL_GAP_LINE_HEIGHTS * height) endRun();
      run.push(kept);
    }
    endRun();
  }
  const confidence = words.length === 0 ? 0 : Math.round(words.reduce((sum, word) => sum + word.confidence, 0) / words.length);
  return { lines, words, text: lines.join(LINE_SEPARATOR), confidence, incomplete: null };
}

function keptWord(word: PageWord, minConfidence: number): PageWord | null {
  if (word.confidence < minConfidence) return null;
  const text = word.text.normalize('NFC').replace(/^[|¦_~=]+|[|¦_~=]+$/gu, '').trim();
  const alphanumerics = countAlphanumerics(text);
  if (alphanumerics === 0) return null;
  if ([...text].length === 1 && word.confidence < SINGLE_CHARACTER_MIN_CONFIDENCE) return null;
  return { ...word, text };
}

function countAlphanumerics(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

function pageLines(page: unknown): PageLine[] {
  const blocks = isRecord(page) && Array.isArray(page['blocks']) ? page['blocks'] : [];
  const lines: PageLine[] = [];
  for (const block of blocks) {
    for (const paragraph of arrayField(block, 'paragraphs')) {
      for (const line of arrayField(paragraph, 'lines')) {
        const bbox = boxOf(isRecord(line) ? line['bbox'] : null);
        if (!bbox) continue;
        const words = arrayField(line, 'words').flatMap((word): PageWord[] => {
          if (!isRecord(word)) return [];
          const wordBox = boxOf(word['bbox']);
          const { text, confidence } = word;
          return wordBox && typeof text === 'string' && typeof confidence === 'number' ? [{ text, confidence, bbox: wordBox }] : [];
        });
        lines.push({ words, bbox });
      }
    }
  }
  return lines;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function arrayField(value: unknown, field: string): readonly unknown[] {
  const items = isRecord(value) ? value[field] : null;
  return Array.isArray(items) ? items : [];
}

function boxOf(value: unknown): Box | null {
  if (!isRecord(value)) return null;
  const { x0, y0, x1, y1 } = value;
  return typeof x0 === 'number' && typeof y0 === 'number' && typeof x1 === 'number' && typeof y1 === 'number' ? { x0, y0, x1, y1 } : null;
}

type EngineAction = 'load' | 'loadLanguage' | 'initialize' | 'setParameters' | 'recognize';

interface PendingJob {
  readonly action: EngineAction;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The engine stopped (crashed, or was terminated) with jobs outstanding. */
class EngineStoppedError extends Error {}

class TimeoutError extends Error {}

/** The engine's last words ("Tesseract couldn't load any languages!") go into error messages. */
const OUTPUT_LINES_KEPT = 1;

/**
 * Starts tesseract.js's worker script with the thread's stdout and stderr turned into messages
 * to us: the engine prints diagnostics, and the processor's stdout carries its protocol. (The
 * thread's own `stdout: true` streams will not do: reading them keeps the process alive.)
 */
const WORKER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    parentPort.postMessage({ engineOutput: String(chunk) });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
}
require(workerData.script);
`;

/** tesseract.js's worker script on a thread of ours, spoken to in its packet protocol. */
class TesseractThread {
  private readonly worker: Worker;
  private readonly jobs = new Map<string, PendingJob>();
  private jobCount = 0;
  private stopped: EngineStoppedError | null = null;
  private readonly output: string[] = [];

  constructor(workerScript: string) {
    this.worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { script: workerScript } });
    // Idle, the engine must not keep a processor alive; `run` holds a reference while it works.
    this.worker.unref();
    this.worker.on('message', (message: unknown) => this.receive(message));
    this.worker.on('error', (error: Error) => this.stop(`the engine failed: ${error.message}`));
    this.worker.on('exit', (code: number) => this.stop(`the engine exited with code ${code}`));
  }

  run(action: EngineAction, payload: unknown): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    this.jobCount += 1;
    const jobId = `${action}-${this.jobCount}`;
    return new Promise((resolve, reject) => {
      this.jobs.set(jobId, { action, resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ workerId: 'altgen-ocr', jobId, action, payload });
    });
  }

  /** What the engine printed last, for error messages ('' when it printed nothing). */
  lastOutput(): string {
    return this.output.join(' ');
  }

  async terminate(): Promise<void> {
    this.stop('the engine was stopped');
    await this.worker.terminate();
  }

  private receive(reply: unknown): void {
    if (!isRecord(reply)) return;
    if (typeof reply['engineOutput'] === 'string') {
      this.remember(reply['engineOutput']);
      return;
    }
    if (typeof reply['jobId'] !== 'string') return;
    const job = this.jobs.get(reply['jobId']);
    // The engine may answer a job twice (a rejection, then a resolve); the first answer counts.
    if (!job || reply['action'] !== job.action || (reply['status'] !== 'resolve' && reply['status'] !== 'reject')) return;
    this.jobs.delete(reply['jobId']);
    if (this.jobs.size === 0) this.worker.unref();
    if (reply['status'] === 'resolve') job.resolve(reply['data']);
    else job.reject(new Error(messageOf(reply['data'])));
  }

  private stop(reason: string): void {
    this.stopped ??= new EngineStoppedError(reason);
    for (const job of this.jobs.values()) job.reject(this.stopped);
    this.jobs.clear();
  }

  private remember(output: string): void {
    const lines = output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    this.output.push(...lines.map((line) => line.slice(0, 200)));
    this.output.splice(0, Math.max(0, this.output.length - OUTPUT_LINES_KEPT));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Error:\s*/, '').replace(/[.\s]+$/, '');
}
