import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastWindow, createTextReader, outsideAsar, recognisedTextFromPage, TextReaderError, type RecognisedText, type TextReader } from './ocr';

const here = path.dirname(fileURLToPath(import.meta.url));

function label(x: number, y: number, text: string, size = 26, fill = '#111'): string {
  return `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${size}" fill="${fill}">${text}</text>`;
}

function svg(width: number, height: number, body: string, background: string | null = 'white'): Buffer {
  const fill = background ? `<rect width="${width}" height="${height}" fill="${background}"/>` : '';
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${fill}${body}</svg>`);
}

/** A heart-like shape with four leader lines to four labels in the corners. */
async function labelledDiagram(): Promise<Buffer> {
  const leaders = [
    [330, 160, 200, 80],
    [570, 160, 700, 80],
    [330, 360, 200, 440],
    [570, 360, 700, 440],
  ]
    .map(([x1, y1, x2, y2]) => `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="black" stroke-width="2"/>`)
    .join('');
  const body =
    `<ellipse cx="450" cy="260" rx="150" ry="190" fill="#d66" stroke="#600" stroke-width="4"/>${leaders}` +
    label(40, 75, 'Right atrium') +
    label(660, 75, 'Left atrium') +
    label(20, 470, 'Right ventricle') +
    label(640, 470, 'Left ventricle');
  return sharp(svg(900, 500, body)).png().toBuffer();
}

/** A drug table on off-white paper with rules, slightly soft and saved as JPEG like a scan. */
async function scannedTable(): Promise<Buffer> {
  const rows = [
    ['Drug', 'Dose', 'Route'],
    ['Atenolol', '50 mg', 'Oral'],
    ['Heparin', '5000 units', 'Subcutaneous'],
    ['Furosemide', '40 mg', 'Intravenous'],
  ];
  const rules =
    [0, 1, 2, 3, 4].map((i) => `<line x1="40" y1="${40 + i * 80}" x2="960" y2="${40 + i * 80}" stroke="#333" stroke-width="2"/>`).join('') +
    [40, 400, 700, 960].map((x) => `<line x1="${x}" y1="40" x2="${x}" y2="360" stroke="#333" stroke-width="2"/>`).join('');
  const cells = rows.flatMap((row, r) => row.map((cell, c) => label([60, 420, 720][c] ?? 0, 92 + r * 80, cell))).join('');
  return sharp(svg(1000, 420, rules + cells, '#f2eee2')).blur(0.6).jpeg({ quality: 70 }).toBuffer();
}

/** Smooth colour waves with grain, like a photograph: no text in it. */
async function photoLike(): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const data = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let channel = 0; channel < 3; channel++) {
        seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
        const wave = 120 + 80 * Math.sin(x / (30 + channel * 7)) + 60 * Math.cos(y / (25 + channel * 5));
        data[(y * width + x) * 3 + channel] = Math.max(0, Math.min(255, Math.round(wave + ((seed >> 16) % 90) - 45)));
      }
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
}

const HEART_LABELS = ['Right atrium', 'Left atrium', 'Right ventricle', 'Left ventricle'];

/** The four heart labels in `fill`, over `shape` (drawn first), on a background of `background` or none. */
function heartLabels(fill: string, background: string | null, shape = ''): Buffer {
  return svg(900, 500, shape + label(40, 75, 'Right atrium', 26, fill) + label(660, 75, 'Left atrium', 26, fill) + label(20, 470, 'Right ventricle', 26, fill) + label(640, 470, 'Left ventricle', 26, fill), background);
}

const BRIGHT_SHAPE = (fill: string) => `<ellipse cx="450" cy="260" rx="150" ry="190" fill="${fill}"/>`;

/** The labels over a dark, grainy photo-like background (the same grain every run), saved as JPEG. */
async function labelsOnDarkPhoto(fill: string, shape = ''): Promise<Buffer> {
  const width = 900;
  const height = 500;
  const data = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      const level = 45 + 15 * Math.sin(x / 60) + 10 * Math.cos(y / 45) + (((seed >> 16) % 61) - 30);
      for (let channel = 0; channel < 3; channel++) data[(y * width + x) * 3 + channel] = Math.max(0, Math.min(255, Math.round(level + (channel - 1) * 6)));
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .composite([{ input: heartLabels(fill, null, shape) }])
    .jpeg()
    .toBuffer();
}

async function greyHistogramOf(image: Buffer): Promise<number[]> {
  const grey = await sharp(image).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer();
  const histogram = new Array<number>(256).fill(0);
  for (const level of grey) histogram[level] = (histogram[level] ?? 0) + 1;
  return histogram;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function hasLabel(text: RecognisedText, expected: string): boolean {
  return text.lines.some((line) => line.toLowerCase().includes(expected.toLowerCase()));
}

async function rejection(promise: Promise<unknown>): Promise<TextReaderError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TextReaderError);
  return error as TextReaderError;
}

describe('createTextReader', () => {
  let reader: TextReader;
  beforeAll(() => {
    reader = createTextReader();
  });
  afterAll(async () => {
    await reader.close();
  });

  it('reads each label of a diagram as its own line, in reading order', async () => {
    const text = await reader.read(await labelledDiagram());
    for (const expected of ['Right atrium', 'Left atrium', 'Right ventricle', 'Left ventricle']) {
      expect(hasLabel(text, expected), `${expected} in ${JSON.stringify(text.lines)}`).toBe(true);
    }
    expect(text.lines.findIndex((line) => /right atrium/i.test(line))).toBeLessThan(text.lines.findIndex((line) => /left ventricle/i.test(line)));
    expect(text.lines.some((line) => /atrium.*atrium/i.test(line))).toBe(false);
    expect(text.text).toContain(' · ');
    expect(text.confidence).toBeGreaterThan(80);
    expect(text.words.every((word) => word.confidence >= 60)).toBe(true);
    expect(text.incomplete).toBeNull();
  });

  it('reads the cells of a scanned table between its rules', async () => {
    const text = await reader.read(await scannedTable());
    for (const expected of ['Drug', 'Route', 'Atenolol', 'Heparin', 'Subcutaneous', 'Furosemide', 'Intravenous']) {
      expect(hasLabel(text, expected), `${expected} in ${JSON.stringify(text.lines)}`).toBe(true);
    }
    expect(text.lines.some((line) => /^[|\s]*$/.test(line))).toBe(false);
  });

  it('finds no text in a photo-like picture', async () => {
    const text = await reader.read(await photoLike());
    expect(text.lines).toEqual([]);
    expect(text.text).toBe('');
    expect(text.incomplete).toBeNull();
  });

  it('reads small print in a small picture', async () => {
    const image = await sharp(svg(170, 36, label(4, 24, 'Loop of Henle', 12))).png().toBuffer();
    const text = await reader.read(image);
    expect(text.text.toLowerCase()).toContain('loop of henle');
  });

  it('reads dark text on a transparent background', async () => {
    const image = await sharp(svg(400, 80, label(10, 50, 'Collecting duct', 28), null)).png().toBuffer();
    expect((await sharp(image).metadata()).hasAlpha).toBe(true);
    const text = await reader.read(image);
    expect(hasLabel(text, 'Collecting duct')).toBe(true);
  });

  it('rejects bytes that are not a picture, and goes on reading the next one', async () => {
    const error = await rejection(reader.read(Buffer.from('not a picture')));
    expect(error.code).toBe('EOCR_IMAGE');
    const text = await reader.read(await sharp(svg(400, 80, label(10, 50, 'Bowman capsule', 28))).png().toBuffer());
    expect(hasLabel(text, 'Bowman capsule')).toBe(true);
  });
});

describe('createTextReader › labels in any colour on any background', () => {
  let reader: TextReader;
  beforeAll(() => {
    reader = createTextReader();
  });
  afterAll(async () => {
    await reader.close();
  });

  const expectHeartLabels = (text: RecognisedText): void => {
    for (const expected of HEART_LABELS) expect(hasLabel(text, expected), `${expected} in ${JSON.stringify(text.lines)}`).toBe(true);
  };

  it('reads light labels on a dark photo', async () => {
    expectHeartLabels(await reader.read(await labelsOnDarkPhoto('#ffffff')));
  });

  it('reads coloured labels on dark backgrounds: yellow and cyan on a dark photo, also beside a red shape', async () => {
    expectHeartLabels(await reader.read(await labelsOnDarkPhoto('#f5d142')));
    expectHeartLabels(await reader.read(await labelsOnDarkPhoto('#5ee0ff')));
    expectHeartLabels(await reader.read(await labelsOnDarkPhoto('#5ee0ff', BRIGHT_SHAPE('#cc3333'))));
  });

  it('reads black labels on dark brown beside a bright shape', async () => {
    expectHeartLabels(await reader.read(await sharp(heartLabels('#000000', '#3a2212', BRIGHT_SHAPE('#aa3333'))).png().toBuffer()));
  });

  it('reads white labels on a transparent picture made for a dark slide', async () => {
    const image = await sharp(heartLabels('#ffffff', null)).png().toBuffer();
    expect((await sharp(image).metadata()).hasAlpha).toBe(true);
    expectHeartLabels(await reader.read(image));
  });

  it('still reads dark labels on white, and finds no text in a photo', async () => {
    expectHeartLabels(await reader.read(await sharp(heartLabels('#111111', 'white', BRIGHT_SHAPE('#dd6666'))).png().toBuffer()));
    expect((await reader.read(await photoLike())).lines).toEqual([]);
  });

  it('costs a few readings at most: dark labels on dark brown take at most four times the CPU of the same labels on white', async () => {
    const onWhite = await sharp(heartLabels('#000000', 'white', BRIGHT_SHAPE('#aa3333'))).png().toBuffer();
    const onBrown = await sharp(heartLabels('#000000', '#3a2212', BRIGHT_SHAPE('#aa3333'))).png().toBuffer();
    await reader.read(onWhite); // the engine is started and warm for both measurements
    let since = process.cpuUsage();
    await reader.read(onWhite);
    const plain = cpuMs(since);
    since = process.cpuUsage();
    expectHeartLabels(await reader.read(onBrown));
    expect(cpuMs(since)).toBeLessThan(4 * plain);
  });
});

describe('contrastWindow', () => {
  it('needs no pass for dark labels on white, the usual diagram', async () => {
    const histogram = await greyHistogramOf(await labelledDiagram());
    expect(contrastWindow(histogram, 'dark')).toBeNull();
    expect(contrastWindow(histogram, 'light')).toBeNull();
  });

  it('maps the darkest ink to black and the background to white for dark marks on a dark background', async () => {
    const histogram = await greyHistogramOf(await sharp(heartLabels('#000000', '#3a2212', BRIGHT_SHAPE('#aa3333'))).png().toBuffer());
    const window = contrastWindow(histogram, 'dark');
    expect(window).not.toBeNull();
    const map = (level: number) => Math.min(255, Math.max(0, (window?.scale ?? 0) * level + (window?.offset ?? 0)));
    const background = histogram.indexOf(Math.max(...histogram));
    expect(map(0)).toBe(0);
    expect(map(background)).toBe(255);
    expect(map(200)).toBe(255);
  });

  it('inverts for light marks: the brightest ink black, the background and darker white', () => {
    const histogram = new Array<number>(256).fill(0);
    histogram[40] = 9_000;
    histogram[230] = 1_000;
    const window = contrastWindow(histogram, 'light');
    const map = (level: number) => Math.min(255, Math.max(0, (window?.scale ?? 0) * level + (window?.offset ?? 0)));
    expect(map(230)).toBe(0);
    expect(map(40)).toBe(255);
    expect(map(0)).toBe(255);
    expect(contrastWindow(histogram, 'dark')).toBeNull();
  });

  it('ignores marks too few to be text', () => {
    const histogram = new Array<number>(256).fill(0);
    histogram[60] = 100_000;
    histogram[250] = 10;
    expect(contrastWindow(histogram, 'light')).toBeNull();
  });
});

describe('createTextReader limits', () => {
  it('gives up on a picture that takes too long, then switches itself off', async () => {
    const reader = createTextReader({ timeoutMs: 1, maxFailures: 1 });
    try {
      const image = await labelledDiagram();
      const first = await reader.read(image);
      expect(first.lines).toEqual([]);
      expect(first.incomplete).toMatch(/longer than/);
      const error = await rejection(reader.read(image));
      expect(error.code).toBe('EOCR_UNAVAILABLE');
      expect(error.message).toMatch(/switched off/);
    } finally {
      await reader.close();
    }
  });

  it('rejects with the cause when the language data is missing, without starting an engine', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'altgen-ocr-'));
    const reader = createTextReader({ languageDataDir: empty });
    try {
      const error = await rejection(reader.read(await labelledDiagram()));
      expect(error.code).toBe('EOCR_UNAVAILABLE');
      expect(error.message).toContain(path.join(empty, 'eng.traineddata.gz'));
      expect(await rejection(reader.read(await labelledDiagram()))).toBe(error);
    } finally {
      await reader.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('rejects when the language data is corrupt, without taking the process down', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'altgen-ocr-'));
    await writeFile(path.join(folder, 'eng.traineddata.gz'), gzipSync(randomBytes(4096)));
    const reader = createTextReader({ languageDataDir: folder });
    try {
      const error = await rejection(reader.read(await labelledDiagram()));
      expect(error.code).toBe('EOCR_UNAVAILABLE');
      expect(error.message).toMatch(/language data in .* could not be loaded: initialization failed/);
    } finally {
      await reader.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('rejects reads after close, and a read in progress when closed', async () => {
    const reader = createTextReader();
    const image = await scannedTable();
    const inProgress = reader.read(image);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await reader.close();
    expect((await rejection(inProgress)).code).toBe('EOCR_CLOSED');
    expect((await rejection(reader.read(image))).code).toBe('EOCR_CLOSED');
  });

  it('keeps the engine off stdout and lets the process exit even without close', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'altgen-ocr-'));
    try {
      const corrupt = path.join(folder, 'corrupt');
      const script = path.join(folder, 'read-once.mts');
      await writeFile(path.join(folder, 'diagram.png'), await labelledDiagram());
      await writeFile(
        script,
        [
          `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';`,
          `import { gzipSync } from 'node:zlib';`,
          `import { createTextReader } from ${JSON.stringify(path.join(here, 'ocr.ts'))};`,
          `mkdirSync(${JSON.stringify(corrupt)});`,
          `writeFileSync(${JSON.stringify(path.join(corrupt, 'eng.traineddata.gz'))}, gzipSync(Buffer.alloc(4096, 7)));`,
          `const broken = await createTextReader({ languageDataDir: ${JSON.stringify(corrupt)} }).read(Buffer.alloc(1)).catch((e) => e.code);`,
          `const text = await createTextReader().read(readFileSync(${JSON.stringify(path.join(folder, 'diagram.png'))}));`,
          `process.stdout.write(JSON.stringify({ broken, lines: text.lines.length }) + '\\n');`,
        ].join('\n'),
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.join(here, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exitCode = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
      expect(stderr).toBe('');
      expect(exitCode).toBe(0);
      expect(stdout).toBe(`${JSON.stringify({ broken: 'EOCR_UNAVAILABLE', lines: 4 })}\n`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('recognisedTextFromPage', () => {
  const word = (text: string, x0: number, confidence = 95) => ({ text, confidence, bbox: { x0, y0: 10, x1: x0 + text.length * 12, y1: 34 } });
  const page = (...lines: ReturnType<typeof word>[][]) => ({
    blocks: [{ paragraphs: [{ lines: lines.map((words) => ({ words, bbox: { x0: 0, y0: 10, x1: 900, y1: 34 } })) }] }],
  });

  it('drops pipes, unsure words and stray characters, and lines left with no letters', () => {
    const text = recognisedTextFromPage(
      page([word('Left', 0), word('ventricle', 60), word('|', 175, 90)], [word('|', 0, 91)], [word('xq', 0, 41), word('~', 40, 90)], [word('l', 0, 70), word('Aorta', 20)]),
      60,
    );
    expect(text.lines).toEqual(['Left ventricle', 'Aorta']);
    expect(text.words.map((w) => w.text)).toEqual(['Left', 'ventricle', 'Aorta']);
    expect(text.text).toBe('Left ventricle · Aorta');
    expect(text.confidence).toBe(95);
  });

  it('splits a line where words stand far apart', () => {
    const text = recognisedTextFromPage(page([word('Right', 0), word('atrium', 70), word('Left', 400), word('atrium', 455)]), 60);
    expect(text.lines).toEqual(['Right atrium', 'Left atrium']);
  });

  it('keeps a confident single letter or digit and trims border artefacts off words', () => {
    const text = recognisedTextFromPage(page([word('Figure', 0), word('2', 80, 93), word('|Aorta|', 110)]), 60);
    expect(text.lines).toEqual(['Figure 2 Aorta']);
  });

  it('reads an empty or unexpected page as no text', () => {
    expect(recognisedTextFromPage({ blocks: null }, 60)).toEqual({ lines: [], words: [], text: '', confidence: 0, incomplete: null });
    expect(recognisedTextFromPage('nonsense', 60).lines).toEqual([]);
  });
});

describe('outsideAsar', () => {
  it('prefers the unpacked copy of a file inside an app.asar, and leaves other paths alone', async () => {
    const resources = await mkdtemp(path.join(os.tmpdir(), 'altgen-asar-'));
    try {
      const inside = path.join(resources, 'app.asar', 'node_modules', 'tesseract.js', 'index.js');
      const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'tesseract.js', 'index.js');
      expect(outsideAsar(inside)).toBe(inside);
      await mkdir(path.dirname(unpacked), { recursive: true });
      await writeFile(unpacked, '');
      expect(outsideAsar(inside)).toBe(unpacked);
      expect(outsideAsar(path.join(resources, 'elsewhere.js'))).toBe(path.join(resources, 'elsewhere.js'));
    } finally {
      await rm(resources, { recursive: true, force: true });
    }
  });
});
