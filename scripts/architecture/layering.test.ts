import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importsOf, readImportGraph } from './import-graph';
import { describeLayeringProblem, layeringProblems } from './layer-rules';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'layering-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTree(files: Readonly<Record<string, string>>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

async function problemsOf(root: string): Promise<string[]> {
  return layeringProblems(await readImportGraph(root)).map(describeLayeringProblem);
}

describe('importsOf', () => {
  it('finds static, re-exported, dynamic, required and type-position imports, and tells type-only ones apart', () => {
    const text = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import { type D, e } from './d';",
      "import f from './f';",
      "import './side-effect';",
      "export type { G } from './g';",
      "export * from './h';",
      "import fs = require('node:fs');",
      "const later = () => import('./i');",
      "const electron = require('electron');",
      "let j: typeof import('./j');",
      "// import './commented';",
      "const text = \"import './in-a-string'\";",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: './a', typeOnly: true, line: 1 },
      { specifier: './b', typeOnly: true, line: 2 },
      { specifier: './d', typeOnly: false, line: 3 },
      { specifier: './f', typeOnly: false, line: 4 },
      { specifier: './side-effect', typeOnly: false, line: 5 },
      { specifier: './g', typeOnly: true, line: 6 },
      { specifier: './h', typeOnly: false, line: 7 },
      { specifier: 'node:fs', typeOnly: false, line: 8 },
      { specifier: './i', typeOnly: false, line: 9 },
      { specifier: 'electron', typeOnly: false, line: 10 },
      { specifier: './j', typeOnly: true, line: 11 },
    ]);
  });
});

describe('layeringProblems', () => {
  it('reports every kind of forbidden import, value cycles and broken imports, and passes what the rules allow', async () => {
    await writeTree({
      'src/shared/ok.ts': "import { z } from 'zod';\nimport type { T } from './types';\nexport const schema = z.string();\nexport type U = T;\n",
      'src/shared/types.ts': 'export type T = string;\n',
      'src/shared/bad.ts': "import { readFile } from 'node:fs';\nimport type { Deck } from '../main/pptx/deck';\nimport YAML from 'js-yaml';\n",
      'src/main/pptx/deck.ts': 'export interface Deck { readonly slides: number }\n',
      'src/main/electron/main.ts': "import { app } from 'electron';\nimport { CSP } from '../../shared/ok';\n",
      'src/main/electron/window-options.ts': "export const CSP = 'default-src self';\n",
      'src/main/batch/runner.ts': "export async function start() { return import('electron'); }\n",
      'src/main/describe/provider.ts': "const { net } = require('electron');\n// import 'electron';\n",
      'src/main/processor/entry.ts': "import { EXIT } from '../cli/exit-codes';\nexport { runner } from '../batch/runner';\n",
      'src/main/processor/entry.test.ts': "import { EXIT } from '../cli/exit-codes';\n",
      'src/main/cli/exit-codes.ts': 'export const EXIT = { ok: 0 };\n',
      'src/main/server/headers.ts': "import { CSP } from '../electron/window-options';\n",
      'src/main/text/phrases.ts': "import type { Deck } from '../pptx/deck';\n",
      'src/renderer/src/app.tsx': "import fs from 'fs';\nimport { start } from '../../main/batch/runner';\nimport './styles.css';\n",
      'src/renderer/src/styles.css': 'body {}\n',
      'src/renderer/src/app.test.ts': "import { start } from '../../main/batch/runner';\n",
      'src/main/batch/a.ts': "import { b } from './b';\nexport const a = 1;\n",
      'src/main/batch/b.ts': "import { c } from './c';\nexport const b = 2;\n",
      'src/main/batch/c.ts': "import { a } from './a';\nimport { gone } from './missing';\nexport const c = 3;\n",
      'src/main/describe/p.ts': "import { Q } from './q';\nexport type P = string;\n",
      'src/main/describe/q.ts': "import type { P } from './p';\nexport class Q {}\n",
    });
    expect(await problemsOf(dir)).toEqual([
      `src/main/batch/c.ts:2: './missing' names no file of the tree.`,
      `src/main/batch/runner.ts:1: import of 'electron' breaks the rule "only src/main/electron imports electron" (electron-only-in-electron).`,
      `src/main/describe/provider.ts:1: import of 'electron' breaks the rule "only src/main/electron imports electron" (electron-only-in-electron).`,
      `src/main/processor/entry.ts:1: import of '../cli/exit-codes' breaks the rule "the processor never imports src/main/batch or src/main/cli" (processor-without-batch-or-cli).`,
      `src/main/processor/entry.ts:2: import of '../batch/runner' breaks the rule "the processor never imports src/main/batch or src/main/cli" (processor-without-batch-or-cli).`,
      `src/main/server/headers.ts:1: import of '../electron/window-options' breaks the rule "\`altgen serve\` (src/main/server) never imports src/main/electron" (server-without-electron).`,
      `src/main/text/phrases.ts:1: type import of '../pptx/deck' breaks the rule "src/main/text imports nothing from src/main/pptx" (text-without-pptx).`,
      `src/renderer/src/app.tsx:1: import of 'fs' breaks the rule "the renderer runs in a sandboxed page: no Node built-ins" (renderer-without-node).`,
      `src/renderer/src/app.tsx:2: import of '../../main/batch/runner' breaks the rule "the renderer never imports src/main (it asks the bridge)" (renderer-without-main).`,
      `src/shared/bad.ts:1: import of 'node:fs' breaks the rule "src/shared imports only src/shared and environment-neutral packages (zod): no Node built-ins, no Electron, nothing from src/main or src/renderer" (shared-is-pure).`,
      `src/shared/bad.ts:2: type import of '../main/pptx/deck' breaks the rule "src/shared imports only src/shared and environment-neutral packages (zod): no Node built-ins, no Electron, nothing from src/main or src/renderer" (shared-is-pure).`,
      `src/shared/bad.ts:3: import of 'js-yaml' breaks the rule "src/shared imports only src/shared and environment-neutral packages (zod): no Node built-ins, no Electron, nothing from src/main or src/renderer" (shared-is-pure).`,
      'Import cycle at run time: src/main/batch/a.ts → src/main/batch/b.ts → src/main/batch/c.ts → src/main/batch/a.ts. Move what both need into a module of its own, or import only types (`import type`).',
    ]);
  });

  it('keeps the accessibility audit below the processor: it reads decks, and imports no step, runner or host', async () => {
    await writeTree({
      'src/main/audit/check.ts': "import type { Deck } from '../pptx/deck';\nimport { plan } from '../processor/plan';\nimport type { Q } from '../batch/queue';\nexport type D = Deck;\n",
      'src/main/pptx/deck.ts': 'export interface Deck { readonly slides: number }\n',
      'src/main/processor/plan.ts': "import { check } from '../audit/check';\nexport const plan = 1;\n",
      'src/main/batch/queue.ts': 'export type Q = number;\n',
    });
    expect(await problemsOf(dir)).toEqual([
      `src/main/audit/check.ts:2: import of '../processor/plan' breaks the rule "the accessibility audit (src/main/audit) reads decks only: it never imports src/main/processor, src/main/batch or the hosts" (audit-below-processor).`,
      `src/main/audit/check.ts:3: type import of '../batch/queue' breaks the rule "the accessibility audit (src/main/audit) reads decks only: it never imports src/main/processor, src/main/batch or the hosts" (audit-below-processor).`,
      'Import cycle at run time: src/main/audit/check.ts → src/main/processor/plan.ts → src/main/audit/check.ts. Move what both need into a module of its own, or import only types (`import type`).',
    ]);
  });

  it('holds on this repository’s source tree', async () => {
    const graph = await readImportGraph(PROJECT);
    // The reader really read the tree: a graph of nothing would pass every rule.
    expect(graph.files.length).toBeGreaterThan(250);
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: 'src/main/electron/main.ts', target: { kind: 'package', name: 'electron' }, typeOnly: false }));
    expect(graph.edges.some((edge) => edge.typeOnly && edge.target.kind === 'file')).toBe(true);
    expect(layeringProblems(graph).map(describeLayeringProblem)).toEqual([]);
  });

  it('fails on this repository’s source tree once a forbidden import is added to it', async () => {
    await cp(path.join(PROJECT, 'src'), path.join(dir, 'src'), { recursive: true });
    const before = await problemsOf(dir);
    await appendFile(path.join(dir, 'src/main/processor/processor-entry.ts'), "\nimport '../cli/index';\n");
    await writeFile(path.join(dir, 'src/shared/uses-node.ts'), "import os from 'node:os';\nexport const home = os.homedir();\n");
    const after = await problemsOf(dir);
    const added = after.filter((line) => !before.includes(line));
    expect(added).toEqual([
      expect.stringMatching(/^src\/main\/processor\/processor-entry\.ts:\d+: import of '\.\.\/cli\/index' breaks the rule .*\(processor-without-batch-or-cli\)\.$/),
      expect.stringMatching(/^src\/shared\/uses-node\.ts:1: import of 'node:os' breaks the rule .*\(shared-is-pure\)\.$/),
    ]);
  });
});
