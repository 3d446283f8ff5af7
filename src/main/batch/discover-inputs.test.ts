import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeck, buildLegacyPpt } from '../fixtures/deck-builder';
import { classifyFileName, discoverInputs, DiscoveryError, type Discovery } from './discover-inputs';

let root: string;
let input: string;
let output: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'discover-'));
  input = path.join(root, 'decks');
  output = path.join(root, 'out');
  await mkdir(input);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Creates files (content irrelevant to discovery) under `base`. */
async function touch(base: string, ...relatives: string[]): Promise<void> {
  for (const relative of relatives) {
    const file = path.join(base, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'x');
  }
}

function relativePaths(discovery: Discovery, base = input): string[] {
  return discovery.files.map((file) => path.relative(base, file.path).split(path.sep).join('/'));
}

/** A named pipe: opening it for reading would wait for a writer that never comes. */
function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/**
 * After `ms`, opens `fifo` for writing (and closes it) until that succeeds, which ends the wait
 * of anyone blocked opening it for reading: a bug that opens the pipe fails the test instead of
 * hanging it. `stop()` says whether it had to.
 */
function hangValve(fifo: string, ms: number): { stop(): boolean } {
  let used = false;
  let interval: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    interval = setInterval(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        used = true;
      } catch {
        // ENXIO: nobody is reading it yet.
      }
    }, 500);
  }, ms);
  return {
    stop: () => {
      clearTimeout(start);
      clearInterval(interval);
      return used;
    },
  };
}

/** A listening Unix socket at `file`; resolves with the server, to be closed by the test. */
function unixSocket(file: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(file, () => resolve(server));
  });
}

/** `folder/<prefix>\xe9<suffix>`: a Latin-1 name, not valid UTF-8, made through a Buffer path. */
function latin1File(folder: string, prefix: string, suffix: string, contents = 'x'): Buffer {
  const name = Buffer.concat([Buffer.from(`${folder}${path.sep}${prefix}`), Buffer.from([0xe9]), Buffer.from(suffix)]);
  writeFileSync(name, contents);
  return name;
}

const NOT_REGULAR = (kind: string) => `Not a regular file (${kind}): AltGen reads only saved presentation files.`;

async function discoveryError(promise: Promise<unknown>): Promise<DiscoveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscoveryError)) throw new Error(`expected a DiscoveryError, got ${String(error)}`);
  expect(error.message).not.toMatch(/\n/);
  return error;
}

describe('discoverInputs › --input-dir', () => {
  it('finds decks recursively, sorted by relative path segment by segment', async () => {
    await touch(input, 'b.pptx', 'B.pptx', 'a/z.pptx', 'a-b.pptx', 'a/b/c.pptx', 'ä.pptx', '10.pptx', '9.pptx');
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(relativePaths(discovery)).toEqual([
      '10.pptx',
      '9.pptx',
      'B.pptx',
      'a/b/c.pptx',
      'a/z.pptx',
      'a-b.pptx',
      'b.pptx',
      'ä.pptx',
    ]);
    expect(discovery.inputRoot).toBe(input);
    expect(discovery.files.every((file) => path.isAbsolute(file.path))).toBe(true);
  });

  it('lists real decks from the fixture builder for processing', async () => {
    await buildDeck(path.join(input, 'lecture.pptx'), { slides: [{ pictures: [{}] }] });
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(discovery.files).toEqual([{ path: path.join(input, 'lecture.pptx'), disposition: { kind: 'process' } }]);
  });

  it('collects only PowerPoint extensions, in any case', async () => {
    await touch(input, 'one.PPTX', 'two.pptm', 'notes.docx', 'image.png', 'readme', 'deck.pptx.bak', 'sheet.xlsx');
    expect(relativePaths(await discoverInputs({ inputDir: input, outputDir: output }))).toEqual(['one.PPTX', 'two.pptm']);
  });

  it('skips PowerPoint owner files, hidden files and hidden folders', async () => {
    await touch(input, 'deck.pptx', '~$deck.pptx', '.hidden.pptx', '.git/objects/x.pptx', 'sub/.cache/y.pptx', 'sub/ok.pptx');
    expect(relativePaths(await discoverInputs({ inputDir: input, outputDir: output }))).toEqual(['deck.pptx', 'sub/ok.pptx']);
  });

  it('leaves out the output folder and everything under it when it lies inside the input', async () => {
    const inside = path.join(input, 'accessible');
    await touch(input, 'deck.pptx', 'accessible/deck.pptx', 'accessible/nested/old.pptx', 'accessible-notes/keep.pptx');
    const discovery = await discoverInputs({ inputDir: input, outputDir: inside });
    expect(relativePaths(discovery)).toEqual(['accessible-notes/keep.pptx', 'deck.pptx']);
  });

  it('keeps the input when the output folder contains it', async () => {
    await touch(input, 'deck.pptx', 'sub/deck.pptx');
    expect(relativePaths(await discoverInputs({ inputDir: input, outputDir: root }))).toEqual(['deck.pptx', 'sub/deck.pptx']);
  });

  it('gives each PowerPoint type its disposition and an actionable reason', async () => {
    const names = ['a.pptx', 'b.pptm', 'c.ppt', 'd.pps', 'e.pot', 'f.potx', 'g.potm', 'h.ppsx', 'i.ppsm', 'j.ppam'];
    await touch(input, ...names);
    // A 97–2003 name is judged by content (legacy-names.ts): these two are real 97–2003 files.
    for (const legacy of ['c.ppt', 'd.pps']) await buildLegacyPpt(path.join(input, legacy));
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    const byName = Object.fromEntries(discovery.files.map((file) => [path.basename(file.path), file.disposition]));
    expect(byName['a.pptx']).toEqual({ kind: 'process' });
    expect(byName['b.pptm']).toEqual({ kind: 'process' });
    for (const legacy of ['c.ppt', 'd.pps']) {
      expect(byName[legacy]).toMatchObject({ kind: 'skip', code: 'ELEGACY_FORMAT' });
      expect(byName[legacy]?.kind === 'skip' && byName[legacy].reason).toMatch(
        /^Legacy PowerPoint 97–2003 file: open it in PowerPoint and use File › Save As › PowerPoint Presentation \(\.pptx\), then add the \.pptx/,
      );
    }
    for (const template of ['e.pot', 'f.potx', 'g.potm']) {
      expect(byName[template]).toMatchObject({ kind: 'skip', code: 'ETEMPLATE', reason: expect.stringMatching(/template, not a presentation/) });
    }
    for (const show of ['h.ppsx', 'i.ppsm']) {
      expect(byName[show]).toMatchObject({ kind: 'skip', code: 'ETEMPLATE', reason: expect.stringMatching(/slide show.*Save As/) });
    }
    expect(byName['j.ppam']).toMatchObject({ kind: 'skip', code: 'ETEMPLATE', reason: expect.stringMatching(/add-in/) });
    expect(discovery.files).toHaveLength(names.length);
  });

  it('lists a deck reached through a symlink once, under its real location', async () => {
    await touch(input, 'real/deck.pptx');
    await symlink(path.join(input, 'real/deck.pptx'), path.join(input, 'alias.pptx'));
    await symlink(path.join(input, 'real'), path.join(input, 'aaa-link'));
    expect(relativePaths(await discoverInputs({ inputDir: input, outputDir: output }))).toEqual(['real/deck.pptx']);
  });

  it('follows links to folders inside the input once, and ends on link loops', async () => {
    await touch(input, 'sub/own.pptx', 'week 1/deeper/more.pptx');
    await symlink(path.join(input, 'week 1'), path.join(input, 'a-link-one'));
    await symlink(path.join(input, 'week 1/deeper'), path.join(input, 'sub/a-link-two'));
    await symlink(input, path.join(input, 'sub/loop-to-root'));
    await symlink(path.join(input, 'sub'), path.join(input, 'sub/loop-to-self'));
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(relativePaths(discovery)).toEqual(['sub/own.pptx', 'week 1/deeper/more.pptx']);
  });

  it('lists links to folders outside the input as skipped and reads nothing through them (loopdir -> ..)', async () => {
    await touch(root, 'physiology/heart.pptx', 'physiology/lungs.pptx', 'shared/common.pptx');
    await touch(input, 'own.pptx');
    await symlink('..', path.join(input, 'loopdir'));
    await symlink(path.join(root, 'shared'), path.join(input, 'shared'));
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(discovery.files).toEqual([
      { path: path.join(input, 'loopdir'), disposition: { kind: 'skip', code: 'EOUTSIDE_INPUT', reason: `Link to a folder outside ${input}: not followed.` } },
      { path: path.join(input, 'own.pptx'), disposition: { kind: 'process' } },
      { path: path.join(input, 'shared'), disposition: { kind: 'skip', code: 'EOUTSIDE_INPUT', reason: `Link to a folder outside ${input}: not followed.` } },
    ]);
  });

  it('lists links to decks outside the input as skipped; links to other files outside are ignored', async () => {
    await touch(root, 'elsewhere/deck.pptx', 'elsewhere/notes.txt');
    await touch(input, 'own.pptx');
    await symlink(path.join(root, 'elsewhere/deck.pptx'), path.join(input, 'borrowed.pptx'));
    await symlink(path.join(root, 'elsewhere/notes.txt'), path.join(input, 'notes.txt'));
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(discovery.files).toEqual([
      {
        path: path.join(input, 'borrowed.pptx'),
        disposition: {
          kind: 'skip',
          code: 'EOUTSIDE_INPUT',
          reason: `Link to a file outside ${input}: not processed; copy the deck into the folder to include it.`,
        },
      },
      { path: path.join(input, 'own.pptx'), disposition: { kind: 'process' } },
    ]);
  });

  it('judges links against the real input folder when the input folder is itself a link', async () => {
    await touch(input, 'sub/own.pptx');
    await symlink(path.join(input, 'sub'), path.join(input, 'alias'));
    const viaLink = path.join(root, 'input-link');
    await symlink(input, viaLink);
    const discovery = await discoverInputs({ inputDir: viaLink, outputDir: output });
    expect(relativePaths(discovery, viaLink)).toEqual(['sub/own.pptx']);
  });

  it('lists named pipes and sockets with deck names as skipped, without opening them; ignores other such files', async () => {
    await touch(input, 'deck.pptx');
    mkfifo(path.join(input, 'pipe.pptx'));
    mkfifo(path.join(input, 'other.fifo'));
    mkfifo(path.join(input, 'target-pipe'));
    await symlink(path.join(input, 'target-pipe'), path.join(input, 'linked-pipe.pptm'));
    const server = await unixSocket(path.join(input, 'sock.pptx'));
    try {
      const discovery = await discoverInputs({ inputDir: input, outputDir: output });
      expect(discovery.files).toEqual([
        { path: path.join(input, 'deck.pptx'), disposition: { kind: 'process' } },
        { path: path.join(input, 'linked-pipe.pptm'), disposition: { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a named pipe') } },
        { path: path.join(input, 'pipe.pptx'), disposition: { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a named pipe') } },
        { path: path.join(input, 'sock.pptx'), disposition: { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a socket') } },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('never opens a named pipe with a 97–2003 name, although such names are decided by content', async () => {
    await touch(input, 'deck.pptx');
    const pipe = path.join(input, 'old.ppt');
    mkfifo(pipe);
    const valve = hangValve(pipe, 20_000);
    let discovery: Discovery;
    try {
      discovery = await discoverInputs({ inputDir: input, outputDir: output });
    } finally {
      expect(valve.stop(), 'discovery opened the pipe and waited for a writer').toBe(false);
    }
    expect(discovery.files).toContainEqual({ path: pipe, disposition: { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a named pipe') } });
  });

  it('lists files and folders whose names are not valid UTF-8 as skipped, with what to do', async () => {
    await touch(input, 'deck.pptx');
    latin1File(input, 'caf', '.pptx');
    latin1File(input, 'r', 'sum', 'not a deck, ignored');
    const folder = Buffer.concat([Buffer.from(`${input}${path.sep}cours `), Buffer.from([0xe9]), Buffer.from('t')]);
    await mkdir(folder);
    writeFileSync(Buffer.concat([folder, Buffer.from('/inside.pptx')]), 'x');
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(discovery.files).toEqual([
      {
        path: path.join(input, 'caf\uFFFD.pptx'),
        disposition: { kind: 'skip', code: 'EINVALID_NAME', reason: 'The file name is not valid UTF-8: rename it, then add it again.' },
      },
      {
        path: path.join(input, 'cours \uFFFDt'),
        disposition: {
          kind: 'skip',
          code: 'EINVALID_NAME',
          reason: 'The folder name is not valid UTF-8: rename it, then add it again; the decks in it are not in the batch.',
        },
      },
      { path: path.join(input, 'deck.pptx'), disposition: { kind: 'process' } },
    ]);
  });

  it('warns about broken links to decks instead of failing', async () => {
    await touch(input, 'deck.pptx');
    await symlink(path.join(root, 'nowhere.pptx'), path.join(input, 'broken.pptx'));
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    expect(relativePaths(discovery)).toEqual(['deck.pptx']);
    expect(discovery.warnings).toEqual([expect.stringMatching(/broken link.*broken\.pptx/)]);
  });

  it('fails with EINPUT_MISSING when the folder does not exist', async () => {
    const error = await discoveryError(discoverInputs({ inputDir: path.join(root, 'nope'), outputDir: output }));
    expect(error.code).toBe('EINPUT_MISSING');
    expect(error.message).toContain(path.join(root, 'nope'));
  });

  it('fails with EINPUT_NOT_DIR when the input is a file', async () => {
    await touch(input, 'deck.pptx');
    const error = await discoveryError(discoverInputs({ inputDir: path.join(input, 'deck.pptx'), outputDir: output }));
    expect(error.code).toBe('EINPUT_NOT_DIR');
  });

  it.skipIf(process.getuid?.() === 0)('fails with EINPUT_UNREADABLE when the folder cannot be listed (skipped as root)', async () => {
    await touch(input, 'deck.pptx');
    await chmod(input, 0o000);
    try {
      const error = await discoveryError(discoverInputs({ inputDir: input, outputDir: output }));
      expect(error.code).toBe('EINPUT_UNREADABLE');
    } finally {
      await chmod(input, 0o755);
    }
  });

  it('fails with ENO_DECKS and says how many files it looked at', async () => {
    await touch(input, 'notes.docx', 'a/b.pdf', 'c.txt', '.hidden.pptx');
    const error = await discoveryError(discoverInputs({ inputDir: input, outputDir: output }));
    expect(error.code).toBe('ENO_DECKS');
    expect(error.message).toMatch(/looked at 3 files/);
  });

  it('walks 20,000 files quickly', async () => {
    const writes: Promise<void>[] = [];
    for (let folder = 0; folder < 200; folder += 1) {
      const sub = path.join(input, `course-${String(folder).padStart(3, '0')}`, 'week');
      await mkdir(sub, { recursive: true });
      for (let i = 0; i < 100; i += 1) writes.push(writeFile(path.join(sub, `${i}.${i % 2 ? 'pptx' : 'pdf'}`), ''));
    }
    await Promise.all(writes);
    // CPU time (user + system, so the directory reads count), not wall time: CI may be busy.
    const started = process.cpuUsage();
    const discovery = await discoverInputs({ inputDir: input, outputDir: output });
    const spent = process.cpuUsage(started);
    const elapsed = (spent.user + spent.system) / 1000;
    expect(discovery.files).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('discoverInputs › --input-files', () => {
  it('keeps the given order, de-duplicates and finds the deepest common folder', async () => {
    await touch(input, 'b/two.pptx', 'a/one.pptx', 'a/deep/three.pptx');
    await symlink(path.join(input, 'a/one.pptx'), path.join(input, 'alias.pptx'));
    const files = ['b/two.pptx', 'a/one.pptx', 'a/../a/one.pptx', 'alias.pptx', 'a/deep/three.pptx'].map((f) => path.join(input, f));
    const discovery = await discoverInputs({ inputFiles: files, outputDir: output });
    expect(relativePaths(discovery)).toEqual(['b/two.pptx', 'a/one.pptx', 'a/deep/three.pptx']);
    expect(discovery.inputRoot).toBe(input);
  });

  it('uses the folder of a single file as the input root', async () => {
    await touch(input, 'a/one.pptx');
    const discovery = await discoverInputs({ inputFiles: [path.join(input, 'a/one.pptx')], outputDir: output });
    expect(discovery.inputRoot).toBe(path.join(input, 'a'));
  });

  it('fails a missing file with ENOT_FOUND and skips files that are not decks', async () => {
    await touch(input, 'notes.docx', 'old.ppt', 'deck.pptx', '~$deck.pptx');
    await buildLegacyPpt(path.join(input, 'old.ppt'));
    await mkdir(path.join(input, 'folder.pptx'));
    const missing = path.join(input, 'missing.pptx');
    const discovery = await discoverInputs({
      inputFiles: ['notes.docx', 'old.ppt', 'deck.pptx', 'missing.pptx', '~$deck.pptx', 'folder.pptx'].map((f) => path.join(input, f)),
      outputDir: output,
    });
    expect(discovery.files.map((file) => file.disposition)).toEqual([
      { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: expect.stringMatching(/^Not a PowerPoint file/) },
      { kind: 'skip', code: 'ELEGACY_FORMAT', reason: expect.stringMatching(/Save As/) },
      { kind: 'process' },
      { kind: 'fail', code: 'ENOT_FOUND', reason: `File not found: ${missing}` },
      { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: expect.stringMatching(/lock file/) },
      { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: expect.stringMatching(/folder/) },
    ]);
  });
});

describe('discoverInputs › --input-files: files that are not regular', () => {
  it('skips a named pipe, a socket, a device and a link to a pipe with a reason, and returns at once', async () => {
    mkfifo(path.join(input, 'pipe.pptx'));
    mkfifo(path.join(input, 'another-pipe'));
    await symlink(path.join(input, 'another-pipe'), path.join(input, 'alias.pptx'));
    await symlink('/dev/null', path.join(input, 'null.pptx'));
    const server = await unixSocket(path.join(input, 'sock.pptx'));
    try {
      const discovery = await discoverInputs({
        inputFiles: ['pipe.pptx', 'sock.pptx', 'null.pptx', 'alias.pptx'].map((name) => path.join(input, name)),
        outputDir: output,
      });
      expect(discovery.files.map((file) => file.disposition)).toEqual([
        { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a named pipe') },
        { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a socket') },
        { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a device') },
        { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: NOT_REGULAR('a named pipe') },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('skips a file whose name is not valid UTF-8 (given as the program receives it) instead of calling it missing', async () => {
    latin1File(input, 'caf', '.pptx');
    const discovery = await discoverInputs({ inputFiles: [path.join(input, 'caf\uFFFD.pptx'), path.join(input, 'gone\uFFFD.pptx')], outputDir: output });
    expect(discovery.files.map((file) => file.disposition)).toEqual([
      { kind: 'skip', code: 'EINVALID_NAME', reason: 'The file name is not valid UTF-8: rename it, then add it again.' },
      { kind: 'fail', code: 'ENOT_FOUND', reason: `File not found: ${path.join(input, 'gone\uFFFD.pptx')}` },
    ]);
  });
});

describe('discoverInputs › usage', () => {
  it('needs exactly one of --input-dir and --input-files', async () => {
    expect((await discoveryError(discoverInputs({ outputDir: output }))).code).toBe('EUSAGE');
    expect((await discoveryError(discoverInputs({ inputFiles: [], outputDir: output }))).code).toBe('EUSAGE');
    const both = await discoveryError(discoverInputs({ inputDir: input, inputFiles: ['x.pptx'], outputDir: output }));
    expect(both.code).toBe('EUSAGE');
  });
});

describe('classifyFileName', () => {
  it('classifies by extension, case-insensitively, and ignores other files', () => {
    expect(classifyFileName('Deck.PPTX')).toEqual({ kind: 'process' });
    expect(classifyFileName('old.PPT')).toMatchObject({ code: 'ELEGACY_FORMAT' });
    expect(classifyFileName('notes.docx')).toBeNull();
    expect(classifyFileName('pptx')).toBeNull();
  });
});
