import { readdir, readFile, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import graph of a source tree, read the way the bundler and tsc read it: every
 * `import`, `export … from`, `import x = require()`, `import()` and `require()` with a literal
 * specifier, parsed by the TypeScript compiler (no regular expressions, so comments and
 * strings cannot fool it). Relative specifiers are resolved to files of the tree; the rest are
 * packages or Node built-ins.
 *
 * Guaranteed: an import the compiler keeps at run time is a value edge. Only imports written
 * as type-only (`import type`, `export type`, or every named binding marked `type`, and
 * `typeof import()` in a type) are type edges; an untagged import used only as a type is
 * counted as a value edge, erring on the strict side.
 * Not seen: specifiers built at run time (`import(name)`), `/// <reference>` directives, and
 * path aliases (the project has none).
 */

export type ImportTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'builtin'; readonly name: string }
  /** A relative specifier that names no file of the tree. */
  | { readonly kind: 'unresolved' };

export interface ImportStatement {
  readonly specifier: string;
  readonly typeOnly: boolean;
  /** 1-based, for messages. */
  readonly line: number;
}

export interface ImportEdge extends ImportStatement {
  /** The importing file, relative to the graph's root, with `/` separators. */
  readonly from: string;
  readonly target: ImportTarget;
}

export interface ImportGraph {
  readonly root: string;
  /** Every source file read, relative to the root, sorted. */
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
/** What a relative specifier may leave out, in the order the bundler tries it. */
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'];
const BUILTINS = new Set(builtinModules);

function scriptKindOf(fileName: string): ts.ScriptKind {
  return fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
}

/** The imports of one file's text, in source order. */
export function importsOf(fileName: string, text: string): ImportStatement[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const found: ImportStatement[] = [];
  const add = (literal: ts.Node, specifier: string, typeOnly: boolean) => {
    found.push({ specifier, typeOnly, line: source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, isTypeOnlyImport(node));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, isTypeOnlyExport(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression, node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal, node.argument.literal.text, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const [first] = node.arguments;
      const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const requireCall = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((dynamicImport || requireCall) && first && ts.isStringLiteralLike(first)) add(first, first.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Where `specifier`, imported by `from`, leads; `files` is the tree's set of relative paths. */
export function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): ImportTarget {
  if (specifier.startsWith('node:')) return { kind: 'builtin', name: specifier.slice('node:'.length) };
  if (!specifier.startsWith('.')) {
    const name = packageName(specifier);
    return BUILTINS.has(name) ? { kind: 'builtin', name } : { kind: 'package', name };
  }
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier.split('?')[0] ?? specifier));
  // ESM-style specifiers name the emitted file (`./x.js`) for the source `./x.ts`.
  const bases = /\.[cm]?js$/.test(joined) ? [joined, joined.replace(/\.([cm]?)js$/, '.$1ts'), joined.replace(/\.js$/, '.tsx')] : [joined];
  for (const base of bases) {
    for (const suffix of RESOLVE_SUFFIXES) {
      if (files.has(base + suffix)) return { kind: 'file', path: base + suffix };
    }
  }
  return { kind: 'unresolved' };
}

async function listFiles(root: string, folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  if ((await stat(path.join(root, folder)).catch(() => null))?.isDirectory()) await walk(folder);
  return found;
}

/**
 * The graph of every TypeScript file under `folders` of `root`. Every file of those folders
 * (stylesheets, HTML, fixtures) can be the target of an import; only TypeScript files are read.
 */
export async function readImportGraph(root: string, folders: readonly string[] = ['src']): Promise<ImportGraph> {
  const all = (await Promise.all(folders.map((folder) => listFiles(root, folder)))).flat().sort();
  const known = new Set(all);
  const files = all.filter((file) => SOURCE_FILE.test(file));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8');
    for (const statement of importsOf(file, text)) {
      edges.push({ ...statement, from: file, target: resolveImport(file, statement.specifier, known) });
    }
  }
  return { root, files, edges };
}
