/**
 * Messages from the processor and the model providers are written for the command line: a
 * diagnosis, then advice, with commands in Markdown code marks (`ollama serve`). A screen that
 * gives its own advice shows only the diagnosis, as plain words.
 */

/** The first sentence of a message (the diagnosis, before any advice), on one line. */
export function firstSentence(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s+\p{Lu})/u.exec(line);
  return end ? line.slice(0, end.index + 1) : line;
}

/** Markdown code marks taken out: "`ollama serve`" reads "ollama serve". */
export function withoutCodeMarks(text: string): string {
  return text.replace(/`([^`]*)`/g, '$1');
}
