import { assertNever } from '../../src/shared/assert-never';
import type { ImportEdge, ImportGraph, ImportTarget } from './import-graph';

/**
 * The layering of docs/architecture.md as rules over the import graph, and the problems a
 * graph has against them. Pure: the graph comes from import-graph.ts.
 *
 * The rules hold for the code that ships. Test files (`*.test.ts`, `*.spec.ts`) may reach
 * across layers to drive the real thing (a renderer test that starts the real server, a
 * processor test that runs the real CLI); the modules they import are still checked.
 */

export type RuleId =
  | 'shared-is-pure'
  | 'electron-only-in-electron'
  | 'renderer-without-main'
  | 'renderer-without-node'
  | 'processor-without-batch-or-cli'
  | 'server-without-electron'
  | 'text-without-pptx'
  | 'audit-below-processor';

export interface LayerRule {
  readonly id: RuleId;
  /** The rule as a sentence, for the failure message. */
  readonly says: string;
  readonly appliesTo: (file: string) => boolean;
  readonly forbids: (target: ImportTarget) => boolean;
}

export type LayeringProblem =
  | { readonly code: 'EFORBIDDEN_IMPORT'; readonly rule: LayerRule; readonly edge: ImportEdge }
  /** Files that import one another at run time; `files` is one such loop, first file repeated last. */
  | { readonly code: 'EIMPORT_CYCLE'; readonly files: readonly string[] }
  | { readonly code: 'EUNRESOLVED_IMPORT'; readonly edge: ImportEdge };

/** Packages that run unchanged in Node, Electron and the browser, so the shared contracts may use them. */
export const SHARED_PACKAGES: ReadonlySet<string> = new Set(['zod']);

const TEST_FILE = /\.(test|spec)\.[cm]?tsx?$/;

const under =
  (...folders: readonly string[]) =>
  (file: string): boolean =>
    folders.some((folder) => file.startsWith(`${folder}/`));

const fileUnder =
  (...folders: readonly string[]) =>
  (target: ImportTarget): boolean =>
    target.kind === 'file' && under(...folders)(target.path);

export const LAYER_RULES: readonly LayerRule[] = [
  {
    id: 'shared-is-pure',
    says: `src/shared imports only src/shared and environment-neutral packages (${[...SHARED_PACKAGES].join(', ')}): no Node built-ins, no Electron, nothing from src/main or src/renderer`,
    appliesTo: under('src/shared'),
    forbids: (target) => {
      switch (target.kind) {
        case 'file':
          return !under('src/shared')(target.path);
        case 'package':
          return !SHARED_PACKAGES.has(target.name);
        case 'builtin':
          return true;
        case 'unresolved':
          return false;
        default:
          return assertNever(target, 'import target');
      }
    },
  },
  {
    id: 'electron-only-in-electron',
    says: 'only src/main/electron imports electron',
    appliesTo: (file) => !under('src/main/electron')(file),
    forbids: (target) => target.kind === 'package' && target.name === 'electron',
  },
  {
    id: 'renderer-without-main',
    says: 'the renderer never imports src/main (it asks the bridge)',
    appliesTo: under('src/renderer'),
    forbids: fileUnder('src/main'),
  },
  {
    id: 'renderer-without-node',
    says: 'the renderer runs in a sandboxed page: no Node built-ins',
    appliesTo: under('src/renderer'),
    forbids: (target) => target.kind === 'builtin',
  },
  {
    id: 'processor-without-batch-or-cli',
    says: 'the processor never imports src/main/batch or src/main/cli',
    appliesTo: under('src/main/processor'),
    forbids: fileUnder('src/main/batch', 'src/main/cli'),
  },
  {
    id: 'server-without-electron',
    says: '`altgen serve` (src/main/server) never imports src/main/electron',
    appliesTo: under('src/main/server'),
    forbids: fileUnder('src/main/electron'),
  },
  {
    id: 'audit-below-processor',
    says: 'the accessibility audit (src/main/audit) reads decks only: it never imports src/main/processor, src/main/batch or the hosts',
    appliesTo: under('src/main/audit'),
    forbids: fileUnder('src/main/processor', 'src/main/batch', 'src/main/app-service', 'src/main/cli', 'src/main/server', 'src/main/electron'),
  },
  {
    id: 'text-without-pptx',
    says: 'src/main/text imports nothing from src/main/pptx',
    appliesTo: under('src/main/text'),
    forbids: fileUnder('src/main/pptx'),
  },
];

export function isTestFile(file: string): boolean {
  return TEST_FILE.test(file);
}

/**
 * The loops of value imports: Tarjan's strongly connected components, each with more than
 * one file (or a file importing itself), shown as one concrete loop through the component.
 */
function valueCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.typeOnly || edge.target.kind !== 'file') continue;
    const targets = next.get(edge.from) ?? [];
    if (!targets.includes(edge.target.path)) targets.push(edge.target.path);
    next.set(edge.from, targets);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = next.get(file)?.includes(file) ?? false;
    if (component.length > 1 || selfImport) components.push(component.sort());
  };
  for (const file of graph.files) if (!index.has(file)) connect(file);
  return components.map((component) => loopThrough(component, next)).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The shortest loop from the component's first file back to itself, staying inside the component. */
function loopThrough(component: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const file = queue[head]!;
    for (const target of next.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const loop = [file];
        while (loop[0] !== start) loop.unshift(cameFrom.get(loop[0]!)!);
        return [...loop, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [...component, start];
}

export function layeringProblems(graph: ImportGraph, rules: readonly LayerRule[] = LAYER_RULES): LayeringProblem[] {
  const problems: LayeringProblem[] = [];
  for (const edge of graph.edges) {
    if (edge.target.kind === 'unresolved') {
      problems.push({ code: 'EUNRESOLVED_IMPORT', edge });
      continue;
    }
    if (isTestFile(edge.from)) continue;
    for (const rule of rules) {
      if (rule.appliesTo(edge.from) && rule.forbids(edge.target)) problems.push({ code: 'EFORBIDDEN_IMPORT', rule, edge });
    }
  }
  for (const files of valueCycles(graph)) problems.push({ code: 'EIMPORT_CYCLE', files });
  return problems;
}

/** One line per problem, saying where and what to change. */
export function describeLayeringProblem(problem: LayeringProblem): string {
  switch (problem.code) {
    case 'EFORBIDDEN_IMPORT': {
      const { edge, rule } = problem;
      const kind = edge.typeOnly ? 'type import' : 'import';
      return `${edge.from}:${edge.line}: ${kind} of '${edge.specifier}' breaks the rule "${rule.says}" (${rule.id}).`;
    }
    case 'EIMPORT_CYCLE':
      return `Import cycle at run time: ${problem.files.join(' → ')}. Move what both need into a module of its own, or import only types (\`import type\`).`;
    case 'EUNRESOLVED_IMPORT':
      return `${problem.edge.from}:${problem.edge.line}: '${problem.edge.specifier}' names no file of the tree.`;
    default:
      return assertNever(problem, 'layering problem');
  }
}
