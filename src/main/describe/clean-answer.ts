/**
 * Turns a vision model's raw answer into alt text, or says why it cannot be used. A model
 * failure never becomes text in a deck (DESIGN.md): refusals, error text, placeholder filler,
 * answers that only repeat the prompt and empty answers come back as `needsReview`.
 *
 * Text that passes is one line without markdown or lead-ins ("This image shows"), at most
 * `charLimit` characters, cut at the last whole sentence that fits or else at a word boundary
 * (no partial word, no ellipsis), starting with a capital and ending with a period.
 */
export type CleanedAnswer = { readonly text: string } | { readonly needsReview: string };

export interface CleanOptions {
  /** The prompt the model was given, to recognise an answer that only repeats it. */
  readonly prompt?: string;
}

const SUBJECT = '(?:image|picture|photo|photograph|illustration|figure|graphic|screenshot|slide)';
const SHOW_VERB = '(?:shows?|depicts?|displays?|illustrates?|presents?|features?|contains?|portrays?|represents?|captures?|showcases?)';

const LEAD_INS: readonly RegExp[] = [
  /^(?:sure|certainly|of course|okay|ok|absolutely)\s*[,.!:]\s*/i,
  /^here(?:'s|’s| is| are)\b[^:.!?]{0,60}:\s*/i,
  /^(?:suggested |proposed |short |concise )?(?:alt(?:ernative)?[- ]?text|alt|description|caption|answer)\s*(?:[:\-–—]\s*)/i,
  /^(?:suggested |proposed )?alt(?:ernative)?[- ]?text\b[^:.]{0,50}:\s*/i,
  /^(?:this|it) is (?=an?\s)/i,
  /^(?:in|on) (?:this|the) (?:image|picture|photo|photograph|illustration|figure|graphic|screenshot)\s*,?\s*(?:we (?:can )?see\s+|there (?:is|are)\s+)?/i,
  /^(?:this|it) is (?:an? )?(?:image|picture|photo|photograph|illustration|graphic|screenshot) (?:of|showing|depicting)\s+/i,
  new RegExp(`^(?:this|the) ${SUBJECT} (?:appears to |seems to |likely )?${SHOW_VERB}\\s+(?:that\\s+)?`, 'i'),
  new RegExp(`^(?:this|the) ${SUBJECT} (?:is|appears to be|seems to be)\\s+(?=an?\\s)`, 'i'),
  new RegExp(`^(?:this|the) ${SUBJECT} (?:is|appears to be|seems to be) (?:an? )?(?:image|picture|photo|photograph|illustration) of\\s+`, 'i'),
  /^(?:an? )?(?:image|picture|photo|photograph|illustration|graphic|screenshot) (?:of|showing|depicting)\s+/i,
  /^I (?:can )?see\s+/i,
];

const REFUSALS: readonly RegExp[] = [
  /^(?:i'?m|i am|i’m) (?:sorry|afraid|unable|not able)\b/i,
  /^(?:sorry|unfortunately|apologies|i apologi[sz]e)\b/i,
  /^i (?:cannot|can'?t|can’t|won'?t|do not|don'?t) (?:help|assist|see|view|access|open|describe|provide|identify|determine|analy[sz]e|process)\b/i,
  /\bas an ai\b|\bas a (?:large )?language model\b/i,
  /\bi (?:cannot|can'?t|can’t|am unable to|am not able to) (?:see|view|access|open|describe|identify|analy[sz]e|process) (?:the |this |any )?(?:image|picture|photo|attachment)/i,
];

const ERROR_TEXT: readonly RegExp[] = [
  /^(?:error|exception|fatal error)\s*[:(]/i,
  /^traceback \(most recent call last\)/i,
  /^\s*\{\s*"error"/i,
  /\binternal server error\b/i,
  /\b(?:failed|unable) to (?:load|process|decode|read|open) (?:the )?(?:image|picture|file|model)\b/i,
  /\b(?:cuda error|out of memory)\b/i,
];

const FILLER: readonly RegExp[] = [
  /\bneeds? (?:human |manual |further )?review\b/i,
  /\b(?:todo|tbd|fixme|lorem ipsum|placeholder)\b/i,
  /\[(?:insert|add|your|description|alt)[^\]]*\]/i,
  /\bdescription (?:not available|unavailable)\b/i,
  /^(?:n\/?a|none|null|undefined|unknown|no description(?: available)?|image|picture|photo|alt text|description|not sure|i don'?t know)\.?$/i,
];

/** Phrases of our own prompts: an answer containing them is repeating the instructions. */
const PROMPT_ECHO: readonly RegExp[] = [
  /\bat most \d+ characters\b/i,
  /^(?:you write|you are writing|write (?:the )?alt text)\b/i,
  /\b(?:slide title|deck title|slide text|speaker notes|text in the picture)\s*:/i,
];

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'eg', 'ie', 'vs', 'fig', 'figs', 'approx', 'dr', 'cf', 'al', 'no', 'nos', 'resp', 'incl', 'ca', 'st', 'mr', 'mrs', 'ms', 'prof', 'ref']);

const DANGLING_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'nor', 'of', 'with', 'without', 'in', 'on', 'at', 'to', 'for', 'by', 'from', 'as', 'into', 'onto', 'over',
  'under', 'showing', 'including', 'between', 'which', 'that', 'its', 'their', 'his', 'her', 'is', 'are', 'was', 'were', 'while', 'where', 'than',
  'via', 'per', 'such', 'both', 'each', 'this', 'these', 'those',
]);

function stripMarkdown(text: string): string {
  return text
    .replace(/```[a-z]*\n?([\s\S]*?)```/gi, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/gm, '$1$2')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/^\s*(?:[-*+•]|\d+[.)])\s+/gm, '');
}

const LABEL_LINE = /^(?:alt(?:ernative)?[- ]?text|description|caption|answer|summary)\s*:?$/i;

/**
 * Joins lines into one. A line without closing punctuation ends a sentence when the next
 * line starts with a capital (a list item, a heading); otherwise the text simply wrapped.
 */
function oneLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !LABEL_LINE.test(line));
  return lines
    .map((line, index) => {
      const next = lines[index + 1];
      return next !== undefined && !/[.!?:;,]$/.test(line) && /^["“‘(]?[\p{Lu}\p{N}]/u.test(next) ? `${line}.` : line;
    })
    .join(' ');
}

const QUOTE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
  ['«', '»'],
  ['„', '“'],
];

function stripQuotes(text: string): string {
  let result = text.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of QUOTE_PAIRS) {
      if (result.length >= 2 && result.startsWith(open) && result.endsWith(close)) {
        result = result.slice(open.length, result.length - close.length).trim();
        changed = true;
      }
    }
    const quotedSentence = /^["“]([^"“”]+)["”]\.?$/.exec(result);
    if (quotedSentence?.[1]) {
      result = quotedSentence[1].trim();
      changed = true;
    }
  }
  return result;
}

function removeLeadIns(text: string): string {
  let result = text;
  for (let round = 0; round < 6; round++) {
    const before = result;
    for (const pattern of LEAD_INS) result = result.replace(pattern, '');
    result = stripQuotes(result);
    if (result === before) break;
  }
  return result;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** True when nearly every run of three words in the answer is copied from the prompt. */
function restatesPrompt(answer: string, prompt: string): boolean {
  const answerWords = words(answer);
  if (answerWords.length < 4) return false;
  const promptWords = words(prompt);
  const promptTrigrams = new Set<string>();
  for (let i = 0; i + 2 < promptWords.length; i++) promptTrigrams.add(promptWords.slice(i, i + 3).join(' '));
  let copied = 0;
  let total = 0;
  for (let i = 0; i + 2 < answerWords.length; i++) {
    total++;
    if (promptTrigrams.has(answerWords.slice(i, i + 3).join(' '))) copied++;
  }
  return copied / total >= 0.9;
}

/** Indices of sentence-ending punctuation (not abbreviations or decimals). */
function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '.' && char !== '!' && char !== '?') continue;
    const next = text.slice(i + 1);
    if (next !== '' && !/^["”’)]?\s+["“‘(]?[\p{Lu}\p{N}]/u.test(next)) continue;
    if (char === '.') {
      const word = /([\p{L}.]+)$/u.exec(text.slice(0, i))?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word)) continue;
    }
    ends.push(/^["”’)]/.test(next) ? i + 1 : i);
  }
  return ends;
}

function dropDanglingEnd(text: string): string {
  let result = text.replace(/[\s,;:\-–—(/&+]+$/, '');
  for (;;) {
    const lastSpace = result.lastIndexOf(' ');
    if (lastSpace < 0) return result;
    const lastWord = result.slice(lastSpace + 1).toLowerCase();
    if (!DANGLING_WORDS.has(lastWord)) return result;
    result = result.slice(0, lastSpace).replace(/[\s,;:\-–—(/&+]+$/, '');
  }
}

function closeUnbalancedParenthesis(text: string): string {
  const opens = (text.match(/\(/g) ?? []).length;
  const closes = (text.match(/\)/g) ?? []).length;
  if (opens <= closes) return text;
  return dropDanglingEnd(text.slice(0, text.lastIndexOf('(')));
}

/** Cuts to the limit (period included) at a sentence end, else at a word boundary. */
function fitToLimit(text: string, limit: number): string | null {
  if (text.length <= limit) return text;
  const fitting = sentenceEnds(text).filter((end) => end + 1 <= limit);
  const lastEnd = fitting.at(-1);
  if (lastEnd !== undefined) return text.slice(0, lastEnd + 1);
  const room = limit - 1;
  let cut = text.slice(0, room);
  if (text[room] !== ' ') {
    const lastSpace = cut.lastIndexOf(' ');
    if (lastSpace <= 0) return null;
    cut = cut.slice(0, lastSpace);
  }
  const shortened = closeUnbalancedParenthesis(dropDanglingEnd(cut));
  return shortened === '' ? null : shortened;
}

function capitaliseFirst(text: string): string {
  const firstWord = /^\S+/.exec(text)?.[0] ?? '';
  // mRNA, pH, eGFR, iPad: mixed-case words keep their spelling.
  if (/\p{Lu}/u.test(firstWord.slice(1))) return text;
  return text.replace(/^(["“‘(]?)(\p{Ll})/u, (_match, lead: string, letter: string) => lead + letter.toUpperCase());
}

function endWithPeriod(text: string): string {
  const trimmed = text.replace(/(?:\.{2,}|…)$/, '').replace(/[\s,;:\-–—]+$/, '');
  if (/[.]["”’)]?$/.test(trimmed)) return trimmed;
  if (/[!?]$/.test(trimmed)) return `${trimmed.slice(0, -1)}.`;
  return `${trimmed}.`;
}

export function cleanAnswer(raw: string, charLimit: number, options: CleanOptions = {}): CleanedAnswer {
  const flat = oneLine(stripMarkdown((raw ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')));
  if (flat === '') return { needsReview: 'the model gave an empty answer' };
  if (ERROR_TEXT.some((pattern) => pattern.test(flat))) return { needsReview: 'the model answered with an error message' };
  if (REFUSALS.some((pattern) => pattern.test(flat))) return { needsReview: 'the model refused to describe the picture' };

  const text = removeLeadIns(stripQuotes(flat));
  if (!/[\p{L}\p{N}]/u.test(text)) return { needsReview: 'the model gave an empty answer' };
  if (REFUSALS.some((pattern) => pattern.test(text))) return { needsReview: 'the model refused to describe the picture' };
  if (FILLER.some((pattern) => pattern.test(text))) return { needsReview: 'the model gave placeholder text instead of a description' };
  if (PROMPT_ECHO.some((pattern) => pattern.test(text)) || (options.prompt !== undefined && restatesPrompt(text, options.prompt))) {
    return { needsReview: 'the answer only restates the prompt' };
  }
  if (/\?["”’)]?$/.test(text) && sentenceEnds(text).length <= 1) {
    return { needsReview: 'the model asked a question instead of describing the picture' };
  }

  const fitted = fitToLimit(endWithPeriod(text), charLimit);
  if (fitted === null) return { needsReview: `the answer could not be shortened to ${charLimit} characters at a word boundary` };
  return { text: endWithPeriod(capitaliseFirst(fitted)) };
}
