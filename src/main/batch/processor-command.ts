/**
 * Turns the configured `processor.command` into an argv for one deck.
 *
 * A string command is split into words the way a POSIX shell splits them (quotes and
 * backslashes), with no expansion of any kind: no variables, globs, `~`, pipes or
 * redirections — `|`, `>` and `$HOME` are passed on as literal characters. A list command is
 * taken as argv already. Placeholders are substituted inside each word after splitting, so a
 * path with spaces or quotes in it stays one argument and is never re-split or re-substituted.
 */

export type ProcessorPlaceholder = 'input' | 'output' | 'config';

export interface ProcessorCommandVars {
  readonly input: string;
  readonly output: string;
  /** The settings file for `{config}` (processor-choice.ts says which). */
  readonly config: string;
}

/** A `processor.command` the user has to fix in config.yaml. */
export class ProcessorCommandError extends Error {
  readonly code = 'ECONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'ProcessorCommandError';
  }
}

const PLACEHOLDER = /\{(input|output|config)\}/g;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
/** Inside double quotes a backslash escapes only these (POSIX); before anything else it is literal. */
const DOUBLE_QUOTE_ESCAPABLE = new Set(['"', '\\', '$', '`']);

/**
 * Splits a command string into words like `sh` would, without expanding anything:
 * `'single quotes'` are literal, `"double quotes"` honour `\"`, `\\`, `\$` and `` \` ``,
 * a backslash outside quotes makes the next character literal, and `\` + newline joins lines.
 * Adjacent quoted and unquoted parts form one word (`--out="a b"` is one word); `''` is an
 * empty word. Throws {@link ProcessorCommandError} for an unterminated quote or a trailing `\`.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;

  const quoteError = (kind: string, at: number): ProcessorCommandError =>
    new ProcessorCommandError(
      `processor.command has an unterminated ${kind} quote (opened at character ${at + 1}): ${command}`,
    );

  while (i < command.length) {
    const ch = command.charAt(i);
    if (WHITESPACE.has(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else if (ch === "'") {
      const close = command.indexOf("'", i + 1);
      if (close === -1) throw quoteError('single', i);
      word += command.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (ch === '"') {
      const open = i;
      i += 1;
      for (;;) {
        if (i >= command.length) throw quoteError('double', open);
        const c = command.charAt(i);
        if (c === '"') break;
        if (c === '\\' && i + 1 < command.length) {
          const next = command.charAt(i + 1);
          if (DOUBLE_QUOTE_ESCAPABLE.has(next)) {
            word += next;
            i += 2;
            continue;
          }
          if (next === '\n') {
            i += 2;
            continue;
          }
        }
        word += c;
        i += 1;
      }
      inWord = true;
      i += 1;
    } else if (ch === '\\') {
      if (i + 1 >= command.length) {
        throw new ProcessorCommandError(
          `processor.command ends with a lone backslash: ${command} (on Windows, write paths with / or use the list form)`,
        );
      }
      const next = command.charAt(i + 1);
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The argv for one deck: the command split into words (or taken as a list), with `{input}`,
 * `{output}` and `{config}` replaced inside each word. Throws {@link ProcessorCommandError}
 * (code `ECONFIG`) if the command is empty or lacks `{input}` or `{output}`.
 */
export function buildProcessorArgv(
  command: string | readonly string[],
  vars: ProcessorCommandVars,
): string[] {
  const words = typeof command === 'string' ? splitCommand(command) : [...command];
  if (words.length === 0 || words[0] === '') {
    throw new ProcessorCommandError('processor.command is empty: set it to the program to run for each deck');
  }
  const used = placeholdersIn(words);
  for (const required of ['input', 'output'] as const) {
    if (!used.has(required)) {
      throw new ProcessorCommandError(
        `processor.command must contain {input} and {output} (missing {${required}}): ${describeCommand(command)}`,
      );
    }
  }
  const values: Record<ProcessorPlaceholder, string> = {
    input: vars.input,
    output: vars.output,
    config: vars.config,
  };
  return words.map((word) =>
    word.replace(PLACEHOLDER, (_match, name: string) => values[name as ProcessorPlaceholder]),
  );
}

function placeholdersIn(words: readonly string[]): Set<ProcessorPlaceholder> {
  const found = new Set<ProcessorPlaceholder>();
  for (const word of words) {
    for (const match of word.matchAll(PLACEHOLDER)) found.add(match[1] as ProcessorPlaceholder);
  }
  return found;
}

function describeCommand(command: string | readonly string[]): string {
  return typeof command === 'string' ? command : JSON.stringify(command);
}
