import type { Deck } from '../pptx/deck';
import { planLongDescriptions } from '../pptx/notes-writer';
import { encodeText } from '../pptx/part-text';
import type { AltTextEdit } from '../pptx/pptx-types';
import { applyTextPatches, shiftSpan, type TextPatch } from '../pptx/text-patches';
import { applyAltTextEdits } from '../pptx/xml-attribute-editor';
import { rewritePackage } from '../pptx/zip-rewriter';
import type { LongDescriptionFor } from './outcomes';

/**
 * The third step: the accessible copy. Only the edited parts change (each in its own encoding,
 * byte for byte outside the edited `p:cNvPr` tags and the accessibility fixes' tags), and, with
 * long descriptions, the speaker notes; every other entry is copied raw (zip-rewriter.ts).
 */

export interface DeckWrite {
  /** The `p:cNvPr` changes, by part. */
  readonly edits: ReadonlyMap<string, readonly AltTextEdit[]>;
  /** Long descriptions for the speaker notes; null leaves the notes alone (`long_descriptions: off`). */
  readonly longDescriptions: readonly LongDescriptionFor[] | null;
  readonly language: string;
  /**
   * The accessibility audit's safe fixes (audit/audit-fixes.ts): patches of slides' and
   * `ppt/presentation.xml`'s text, applied before the alt text edits. Absent: none.
   */
  readonly fixes?: ReadonlyMap<string, readonly TextPatch[]>;
}

/** Writes the copy to `output`; returns the warnings of the notes planner (slides whose notes were left alone). */
export async function writeDeck(deck: Deck, write: DeckWrite, output: string): Promise<string[]> {
  const replacements = new Map<string, Buffer>();
  const additions = new Map<string, Buffer>();
  const fixes = write.fixes ?? new Map<string, readonly TextPatch[]>();
  for (const part of new Set([...write.edits.keys(), ...fixes.keys()])) {
    const original = deck.parts.get(part) ?? (deck.package.has(part) ? await deck.package.readTextPart(part) : undefined);
    if (original === undefined) continue;
    const patches = fixes.get(part) ?? [];
    // The alt text edits point into the original text: moved past the fixes before them.
    const edits = (write.edits.get(part) ?? []).map((edit) => ({ ...edit, span: shiftSpan(edit.span, patches) }));
    replacements.set(part, encodeText(applyAltTextEdits(applyTextPatches(original.text, patches), edits), original.encoding));
  }
  const warnings: string[] = [];
  if (write.longDescriptions !== null) {
    const descriptions = write.longDescriptions;
    // Every slide is passed, so a block from an earlier run is removed where none is due now.
    const notes = await planLongDescriptions(
      deck.package,
      deck.slideParts.map((slidePart, i) => ({
        slidePart,
        slideNumber: i + 1,
        descriptions: descriptions.filter((d) => d.slidePart === slidePart).map((d) => ({ label: d.shapeName, text: d.text })),
      })),
      { language: write.language },
    );
    warnings.push(...notes.warnings);
    for (const [part, bytes] of notes.replacements) replacements.set(part, bytes);
    for (const [part, bytes] of notes.additions) additions.set(part, bytes);
  }
  await rewritePackage(deck.package, output, { replacements, additions });
  return warnings;
}
