import { describe, expect, it } from 'vitest';
import { describeProblems, isNativeFile, layoutProblems, shippedKind, type Lockfile } from './layout-rules';
import { npmPackageDir, npmPackageName, type PackagedFile } from './packaged-files';
import type { RequiredFile } from './required-files';

const lockfile: Lockfile = {
  packages: {
    '': {},
    'node_modules/sharp': {},
    'node_modules/@img/sharp-libvips-linux-x64': {},
    'node_modules/zod': {},
    'node_modules/react': {},
    'node_modules/typescript': { dev: true },
    'node_modules/fsevents': { devOptional: true },
    'node_modules/a/node_modules/b': {},
    // A dev tool's nanoid at the top, docx's own (a production dependency) nested.
    'node_modules/nanoid': { version: '3.3.20', dev: true },
    'node_modules/docx': { version: '9.15.2' },
    'node_modules/docx/node_modules/nanoid': { version: '6.0.2' },
  },
};

function files(...entries: readonly (readonly [string, 'packed' | 'unpacked'])[]): Map<string, PackagedFile> {
  return new Map(entries.map(([path, where]) => [path, { path, size: 10, unpacked: where === 'unpacked' }]));
}

function check(packaged: Map<string, PackagedFile>, required: readonly RequiredFile[] = [], absentUnpacked: readonly string[] = []) {
  return layoutProblems({ files: packaged, absentUnpacked, required, lockfile });
}

describe('layoutProblems', () => {
  it('asks for native code to be unpacked wherever it is, needed or not', () => {
    const packaged = files(
      ['node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7', 'packed'],
      ['node_modules/@img/sharp-libvips-linux-x64/lib/libvips.dylib', 'unpacked'],
      ['node_modules/sharp/build/sharp.node', 'unpacked'],
    );
    expect(check(packaged)).toEqual([
      { code: 'EPACKED', file: 'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7', reason: 'native', neededBy: null },
    ]);
  });

  it('holds what the processor and the OCR worker load to app.asar.unpacked, and what the main process loads only to the package', () => {
    const packaged = files(['out/main/processor.js', 'packed'], ['node_modules/zod/index.cjs', 'unpacked'], ['node_modules/react/index.js', 'packed']);
    const required: RequiredFile[] = [
      { path: 'out/main/processor.js', placement: 'child-process', neededBy: 'out/main/processor.js' },
      { path: 'node_modules/zod/index.cjs', placement: 'worker', neededBy: 'worker.js' },
      { path: 'node_modules/react/index.js', placement: 'archive', neededBy: 'out/main/electron.js' },
    ];
    expect(check(packaged, required)).toEqual([
      { code: 'EPACKED', file: 'out/main/processor.js', reason: 'child-process', neededBy: 'out/main/processor.js' },
    ]);
  });

  it('names native code the processor loads as native, once', () => {
    const packaged = files(['node_modules/sharp/build/sharp.node', 'packed']);
    const required: RequiredFile[] = [{ path: 'node_modules/sharp/build/sharp.node', placement: 'child-process', neededBy: 'out/main/processor.js' }];
    expect(check(packaged, required)).toEqual([
      { code: 'EPACKED', file: 'node_modules/sharp/build/sharp.node', reason: 'native', neededBy: 'out/main/processor.js' },
    ]);
  });

  it('reports a needed file the package lacks, and unpacked files missing on disk', () => {
    const required: RequiredFile[] = [{ path: 'node_modules/zod/index.cjs', placement: 'archive', neededBy: 'out/main/electron.js' }];
    expect(check(files(['out/main/electron.js', 'packed']), required, ['out/main/processor.js'])).toEqual([
      { code: 'EMISSING', file: 'node_modules/zod/index.cjs', neededBy: 'out/main/electron.js' },
      { code: 'EUNPACKED_ABSENT', file: 'out/main/processor.js' },
    ]);
  });

  it('accepts a sound layout', () => {
    const packaged = files(['package.json', 'unpacked'], ['out/main/electron.js', 'unpacked'], ['node_modules/a/node_modules/b/index.js', 'packed']);
    const required: RequiredFile[] = [{ path: 'out/main/electron.js', placement: 'archive', neededBy: 'out/main/electron.js' }];
    expect(check(packaged, required)).toEqual([]);
  });
});

describe('shippedKind', () => {
  it.each([
    ['node_modules/zod/src/v3/tests/Mocker.ts', 'test file'],
    ['node_modules/zod/__tests__/a.js', 'test file'],
    ['out/main/chunks/batch-runner.test.js', 'test file'],
    ['out/main/electron.js.map', 'source map'],
    ['node_modules/sharp/.git/config', 'git metadata'],
    ['node_modules/typescript/lib/typescript.js', 'dev dependency'],
    ['node_modules/fsevents/fsevents.node', 'dev dependency'],
    ['node_modules/left-pad/index.js', 'package not in package-lock.json'],
  ] as const)('refuses %s as a %s', (file, kind) => {
    expect(shippedKind(file, lockfile)).toBe(kind);
  });

  it.each(['out/main/electron.js', 'package.json', 'node_modules/sharp/lib/index.js', 'node_modules/a/node_modules/b/testing.js', 'node_modules/zod/test.js'])(
    'lets %s ship',
    (file) => {
      expect(shippedKind(file, lockfile)).toBeNull();
    },
  );
});

describe('shippedKind, when electron-builder flattens the production tree', () => {
  it('lets a nested production dependency ship at the top level, where the dev copy of another version sits in the project', () => {
    expect(shippedKind('node_modules/nanoid/index.js', lockfile, new Map([['node_modules/nanoid', '6.0.2']]))).toBeNull();
  });

  it('still refuses the dev copy itself', () => {
    expect(shippedKind('node_modules/nanoid/index.js', lockfile, new Map([['node_modules/nanoid', '3.3.20']]))).toBe('dev dependency');
    expect(shippedKind('node_modules/nanoid/index.js', lockfile)).toBe('dev dependency');
  });
});

describe('isNativeFile', () => {
  it.each(['a/sharp.node', 'lib/libvips-cpp.so', 'lib/libvips-cpp.so.8.18.7', 'lib/libvips.42.dylib', 'vips.dll'])('counts %s as native', (file) => {
    expect(isNativeFile(file)).toBe(true);
  });

  it.each(['lib/so.js', 'lib/node.js', 'lib/sharp.node.txt', 'tesseract-core.wasm'])('does not count %s', (file) => {
    expect(isNativeFile(file)).toBe(false);
  });
});

describe('npmPackageDir', () => {
  it('finds the innermost package, scoped or not', () => {
    expect(npmPackageDir('node_modules/sharp/lib/index.js')).toBe('node_modules/sharp');
    expect(npmPackageDir('node_modules/@img/sharp-linux-x64/lib/sharp.node')).toBe('node_modules/@img/sharp-linux-x64');
    expect(npmPackageDir('node_modules/a/node_modules/@b/c/index.js')).toBe('node_modules/a/node_modules/@b/c');
    expect(npmPackageName('node_modules/a/node_modules/@b/c/index.js')).toBe('@b/c');
    expect(npmPackageDir('out/main/electron.js')).toBeNull();
    expect(npmPackageDir('node_modules/.package-lock.json')).toBeNull();
  });
});

describe('describeProblems', () => {
  it('says what to change, one line per package and kind of problem', () => {
    const lines = describeProblems([
      { code: 'EPACKED', file: 'node_modules/sharp/lib/index.js', reason: 'child-process', neededBy: 'out/main/processor.js' },
      { code: 'EPACKED', file: 'node_modules/sharp/lib/sharp.js', reason: 'child-process', neededBy: 'out/main/processor.js' },
      { code: 'EPACKED', file: 'node_modules/sharp/lib/utility.js', reason: 'child-process', neededBy: 'out/main/processor.js' },
      { code: 'ESHIPPED', file: 'node_modules/zod/src/v3/tests/Mocker.ts', kind: 'test file' },
    ]);
    expect(lines).toEqual([
      'node_modules/sharp/lib/index.js (and 2 more files of node_modules/sharp): inside app.asar, but the processor (a child process started from app.asar.unpacked) loads it; add its package to `asarUnpack` in electron-builder.yml.',
      'node_modules/zod/src/v3/tests/Mocker.ts: a test file ships in the package; exclude it in the `files` patterns of electron-builder.yml.',
    ]);
  });
});
