import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { printable } from './printable';
import { shellQuote } from './summary-format';

describe('printable', () => {
  it('shows control characters, separators and direction overrides as escapes, on one line', () => {
    expect(printable('line\nbreak\r\tend')).toBe('line\\nbreak\\r\\tend');
    expect(printable('\u001b[31mred\u007f\u0085')).toBe('\\x1b[31mred\\x7f\\x85');
    expect(printable('a\u2028b\u202ecba.pptx')).toBe('a\\u2028b\\u202ecba.pptx');
  });

  it('leaves every printable character alone, the replacement character of a name that is not UTF-8 too', () => {
    const text = 'Année 1 – café\uFFFD (copie) ~$x «1» 日本.pptx';
    expect(printable(text)).toBe(text);
  });
});

describe('shellQuote', () => {
  /** What a POSIX shell makes of the quoted word. */
  function throughShell(shell: string, word: string): string {
    const result = spawnSync(shell, ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  }

  it.each([
    ['plain', '/home/ana/Lectures/anatomy-1.pptx'],
    ['spaces and a quote', "/home/ana/it's my lectures/Fall 2026"],
    ['a backslash', '/home/ana/back\\slash'],
    ['a newline and a quote', "/home/ana/it's the\noutput"],
    ['an escape sequence and a tab', '/home/ana/\u001b[31mred\tfolder'],
    ['a dollar sign and back-quotes', '/home/ana/$HOME `id`'],
  ])('quotes a path with %s so that bash reads it back unchanged, on one line', (_, arg) => {
    const quoted = shellQuote(arg, 'linux');
    expect(quoted).not.toMatch(/[\n\r\u001b\t]/);
    expect(throughShell('bash', quoted)).toBe(arg);
  });

  it('needs no $-quoting for ordinary names, which any POSIX shell reads back', () => {
    const arg = "/home/ana/it's my lectures/$HOME";
    expect(shellQuote(arg, 'linux').startsWith("'")).toBe(true);
    expect(throughShell('sh', shellQuote(arg, 'linux'))).toBe(arg);
  });

  it('keeps Windows paths readable for cmd.exe', () => {
    expect(shellQuote('C:\\Users\\ana\\Lectures', 'win32')).toBe('C:\\Users\\ana\\Lectures');
    expect(shellQuote('C:\\Users\\ana\\My Lectures', 'win32')).toBe('"C:\\Users\\ana\\My Lectures"');
  });
});
