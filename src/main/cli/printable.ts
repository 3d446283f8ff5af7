/**
 * File names may hold any character but `/` and NUL: a newline would split one file's line in
 * two, an escape sequence would drive the terminal, a right-to-left override would show a name
 * reversed. Everything the CLI prints that holds a path or a reason (which may quote a path)
 * goes through `printable`, so that each stays on its own single, faithful line.
 */

/** C0 and C1 controls, DEL, the line and paragraph separators, and bidirectional controls. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every unprintable character shown as an escape (`\n`, `\x1b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const named = NAMED_ESCAPES[char];
    if (named) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function hasUnprintable(text: string): boolean {
  return new RegExp(UNPRINTABLE.source).test(text);
}
