import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readImportGraph } from './import-graph';

/**
 * The TypeScript projects of tsconfig.json, one per environment, checked with the compiler
 * itself: a probe file placed (in memory only) in each project's folder uses the other
 * environments' globals, and the project must refuse exactly those.
 */
const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function flatten(message: string | ts.DiagnosticMessageChain): string {
  return ts.flattenDiagnosticMessageText(message, ' ');
}

function parseProject(config: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(PROJECT, config), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(flatten(diagnostic.messageText));
    },
  });
  if (!parsed) throw new Error(`${config} could not be read.`);
  expect(parsed.errors.map((error) => flatten(error.messageText))).toEqual([]);
  return parsed;
}

/** The compiler's complaints about `text`, compiled as the file `probe` of project `config`. */
function complaintsAbout(config: string, probe: string, text: string): string[] {
  const { options } = parseProject(config);
  const probePath = path.join(PROJECT, probe);
  const isProbe = (fileName: string) => path.resolve(fileName) === probePath;
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    isProbe(fileName) ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile.call(host, fileName, languageVersion, ...rest);
  host.fileExists = (fileName) => isProbe(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => (isProbe(fileName) ? text : readFile.call(host, fileName));
  const program = ts.createProgram({ rootNames: [probePath], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && isProbe(diagnostic.file.fileName))
    .map((diagnostic) => flatten(diagnostic.messageText).replace(/\.\s.*$/, '.'));
}

const USES_EVERY_ENVIRONMENT = [
  "import { readFileSync } from 'node:fs';",
  'export const read = readFileSync;',
  'export const cwd = process.cwd();',
  'export const title = document.title;',
  'export const width = window.innerWidth;',
  'export const doubled = [1, 2].map((n) => n * 2);',
].join('\n');

describe('TypeScript projects by environment', () => {
  it('src/main and the scripts have Node, and no DOM', () => {
    expect(complaintsAbout('tsconfig.node.json', 'src/main/environment-probe.ts', USES_EVERY_ENVIRONMENT)).toEqual([
      "Cannot find name 'document'.",
      "Cannot find name 'window'.",
    ]);
  });

  it('src/shared has neither Node nor the DOM', () => {
    expect(complaintsAbout('tsconfig.shared.json', 'src/shared/environment-probe.ts', USES_EVERY_ENVIRONMENT)).toEqual([
      "Cannot find module 'node:fs' or its corresponding type declarations.",
      "Cannot find name 'process'.",
      "Cannot find name 'document'.",
      "Cannot find name 'window'.",
    ]);
  });

  it('the renderer has the DOM, and no Node', () => {
    expect(complaintsAbout('tsconfig.web.json', 'src/renderer/src/environment-probe.ts', USES_EVERY_ENVIRONMENT)).toEqual([
      "Cannot find module 'node:fs' or its corresponding type declarations.",
      "Cannot find name 'process'.",
    ]);
  });

  it('puts every TypeScript file of the repository in exactly one project of tsconfig.json', async () => {
    const solution = parseProject('tsconfig.json');
    const projects = (solution.projectReferences ?? []).map((reference) => path.relative(PROJECT, reference.path));
    expect(projects.sort()).toEqual(['tsconfig.node.json', 'tsconfig.shared.json', 'tsconfig.web-test.json', 'tsconfig.web.json']);
    const owners = new Map<string, string[]>();
    for (const project of projects) {
      for (const file of parseProject(project).fileNames) {
        const relative = path.relative(PROJECT, file).split(path.sep).join('/');
        owners.set(relative, [...(owners.get(relative) ?? []), project]);
      }
    }
    const { files } = await readImportGraph(PROJECT, ['src', 'e2e', 'scripts', 'bench']);
    const rootFiles = ['electron.vite.config.ts', 'vitest.config.ts', 'playwright.config.ts'];
    const unowned = [...files, ...rootFiles].filter((file) => !owners.has(file));
    const shared = [...owners].filter(([, list]) => list.length > 1).map(([file, list]) => `${file}: ${list.join(', ')}`);
    expect(unowned).toEqual([]);
    expect(shared).toEqual([]);
  });
});
