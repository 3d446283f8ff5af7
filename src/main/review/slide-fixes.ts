import type { AuditFinding } from '../../shared/accessibility-audit';
import { readingOrders } from '../audit/check-reading-order';
import { titleCandidate } from '../audit/check-titles';
import { slideFacts, type AuditDeck, type SlideFacts } from '../audit/slide-facts';
import { applyTextPatches, insertFirstChildPatch, setAttributePatch, type TextPatch } from '../pptx/text-patches';
import { PML } from '../pptx/xml-namespaces';
import { child, type XmlElement } from '../pptx/xml-tree';
import { ReviewError } from './review-error';

/**
 * The slide items a person accepted, as text patches of the slides (written by the review's
 * Apply with the picture edits, byte-minimally: text-patches.ts, processor/write-deck.ts):
 *
 * - a slide without a title: its first text box (the one the suggestion quotes) becomes the
 *   slide's title placeholder, `<p:ph type="title"/>` in its `p:nvPr` (a placeholder it already
 *   is gets `type="title"`), as PowerPoint's checker does;
 * - a reading order: the compared shapes of the shape tree (check-reading-order.ts) trade
 *   places so that they are read as they are seen; everything between them stays where it is.
 *
 * The suggestion was made on the deck the run read; the copy is checked again here, and a
 * slide that no longer matches it is refused rather than changed differently.
 */

type SlideDeck = AuditDeck & { readonly parts: ReadonlyMap<string, { readonly text: string }> };

export function planSlideFixes(deck: SlideDeck, accepted: readonly AuditFinding[], deckName: string): Map<string, TextPatch[]> {
  const patches = new Map<string, TextPatch[]>();
  if (accepted.length === 0) return patches;
  const slides = new Map(slideFacts(deck).map((slide) => [slide.part, slide]));
  const refuse = (finding: AuditFinding, why: string) =>
    new ReviewError('EREVIEW_REFUSED', `Slide ${finding.slide ?? '?'} of ${deckName} is not as it was checked (${why}); process the deck again, then review it.`);
  const byPart = new Map<string, AuditFinding[]>();
  for (const finding of accepted) {
    if (finding.part === null) continue;
    byPart.set(finding.part, [...(byPart.get(finding.part) ?? []), finding]);
  }
  for (const [part, findings] of byPart) {
    const slide = slides.get(part);
    const text = deck.parts.get(part)?.text;
    if (!slide || text === undefined) throw refuse(findings[0]!, 'the slide is missing');
    let list: TextPatch[] = [];
    for (const finding of findings.filter((f) => f.check === 'missing-slide-title')) {
      if (slide.title !== null) continue;
      const candidate = titleCandidate(slide);
      if (!candidate || candidate.text !== finding.suggestion?.value) throw refuse(finding, 'its first text box reads something else');
      list.push(titlePatch(text, candidate.shape.element, () => refuse(finding, 'the text box is not a shape that can be a title')));
    }
    for (const finding of findings.filter((f) => f.check === 'reading-order')) {
      list = reorderPatches(slide, text, list, finding, (why) => refuse(finding, why));
    }
    if (list.length > 0) patches.set(part, list);
  }
  return patches;
}

function titlePatch(text: string, shape: XmlElement, refused: () => ReviewError): TextPatch {
  const nvPr = child(child(shape, PML, 'nvSpPr'), PML, 'nvPr');
  if (!nvPr || shape.local !== 'sp') throw refused();
  const ph = child(nvPr, PML, 'ph');
  const phName = nvPr.prefix ? `${nvPr.prefix}:ph` : 'ph';
  if (ph) return setAttributePatch(text, ph, 'type', 'title');
  if (nvPr.selfClosing) return { start: nvPr.start, end: nvPr.end, text: `<${nvPr.name}><${phName} type="title"/></${nvPr.name}>` };
  return insertFirstChildPatch(nvPr, `<${phName} type="title"/>`);
}

/**
 * The shapes' slots in the tree get the shapes in the order they are seen. A title patch inside
 * a shape that moves travels with it (patches may not overlap, so it is folded into the move).
 */
function reorderPatches(slide: SlideFacts, text: string, titles: readonly TextPatch[], finding: AuditFinding, refused: (why: string) => ReviewError): TextPatch[] {
  const { read, seen } = readingOrders(slide);
  const names = seen.map((shape) => shape.name);
  const wanted = finding.suggestion?.value;
  if (!Array.isArray(wanted) || wanted.length !== names.length || wanted.some((name, i) => name !== names[i])) throw refused('its shapes are not the ones named');
  if (read.some((shape) => shape.element.parent?.local !== 'spTree' || !PML.has(shape.element.parent.uri))) {
    throw refused('a shape is wrapped in alternate content, which cannot be moved safely');
  }
  const folded = new Set<TextPatch>();
  const moves: TextPatch[] = [];
  for (const [i, slot] of read.entries()) {
    const shape = seen[i]!;
    if (shape === slot) continue;
    const inside = titles.filter((patch) => patch.start >= shape.element.start && patch.end <= shape.element.end);
    for (const patch of inside) folded.add(patch);
    const moved = applyTextPatches(
      text.slice(shape.element.start, shape.element.end),
      inside.map((patch) => ({ ...patch, start: patch.start - shape.element.start, end: patch.end - shape.element.start })),
    );
    moves.push({ start: slot.element.start, end: slot.element.end, text: moved });
  }
  return [...titles.filter((patch) => !folded.has(patch)), ...moves];
}
