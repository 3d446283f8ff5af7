/** The processor's decision on a picture (`<deck>.alt-text.json`), in words. */
const DECISIONS: Readonly<Record<string, string>> = {
  described: 'Described',
  drafted: 'Offline draft: check it before use',
  preserved: 'Existing alt text kept',
  decorative: 'Already marked decorative',
  'marked-decorative': 'Marked decorative',
  'needs-review': 'Needs review: nothing was written',
  skipped: 'Skipped',
  edited: 'Edited by a person',
};

export function decisionWords(decision: string): string {
  return DECISIONS[decision] ?? decision;
}

export function charCountText(text: string, limit: number | null): string {
  const count = text.trim().length;
  if (limit === null) return `${count} characters`;
  return count > limit ? `${count} characters, over the target of ${limit}` : `${count} of ${limit} characters`;
}

const SHAPE_KINDS: Readonly<Record<string, string>> = { shape: 'shape filled with a picture', media: 'video or sound', chart: 'chart', smartart: 'SmartArt', table: 'table' };

/** " (chart)" after a shape's name when it is not a picture. */
export function shapeKindSuffix(kind: string): string {
  const word = SHAPE_KINDS[kind];
  return word ? ` (${word})` : '';
}
