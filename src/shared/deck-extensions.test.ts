import { describe, expect, it } from 'vitest';
import { DECK_EXTENSIONS, extensionOf, hasPowerPointOwnerFiles, isDeckName, powerPointKind } from './deck-extensions';

describe('deck extensions', () => {
  it('finds the extension as path.extname does, in lower case, in names and paths of both kinds', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['Lecture 1.PPTX', '.pptx'],
      ['/a/b.c/deck', ''],
      ['C:\\Lectures\\heart.pptm', '.pptm'],
      ['.pptx', ''],
      ['..pptx', '.pptx'],
      ['archive.tar.gz', '.gz'],
      ['deck.', '.'],
    ];
    for (const [name, extension] of cases) expect(extensionOf(name), name).toBe(extension);
  });

  it('processes .pptx and .pptm only; knows the rest of PowerPoint’s files, and which have owner files', () => {
    expect(DECK_EXTENSIONS).toEqual(['.pptx', '.pptm']);
    expect(['a.pptx', 'b.PPTM'].every(isDeckName)).toBe(true);
    expect(['a.ppt', 'a.potx', 'a.ppsx', 'a.ppam', 'a.docx', 'pptx'].some(isDeckName)).toBe(false);
    expect(['a.ppt', 'a.pps', 'a.pot', 'a.potx', 'a.potm', 'a.ppsx', 'a.ppsm', 'a.ppam', 'a.key'].map(powerPointKind)).toEqual([
      'legacy',
      'legacy',
      'template',
      'template',
      'template',
      'slide-show',
      'slide-show',
      'add-in',
      null,
    ]);
    expect(['a.pptx', 'a.ppt', 'a.potm', 'a.ppsx'].every(hasPowerPointOwnerFiles)).toBe(true);
    expect(['a.ppam', 'a.docx'].some(hasPowerPointOwnerFiles)).toBe(false);
  });
});
