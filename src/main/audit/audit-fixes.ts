import type { AuditCheck, AuditFinding } from '../../shared/accessibility-audit';
import type { AccessibilityConfig } from '../../shared/config-schema';
import { insertFirstChildPatch, setAttributePatch, type TextPatch } from '../pptx/text-patches';
import { DML, PML } from '../pptx/xml-namespaces';
import { child, descendants, type XmlElement } from '../pptx/xml-tree';
import type { AuditResult } from './audit-deck';
import { withCounts } from './audit-deck';
import { firstRowTexts, hasHeaderRow } from './check-tables';
import { tableCells, tableOf, type AuditDeck } from './slide-facts';
import { slideLanguage, type Mismatch } from './slide-language';
import { guessLanguage, primaryLanguage } from './text-language';
import type { TextRun } from './text-runs';

/**
 * The audit's safe fixes (`accessibility` settings), as text patches of the slides and of
 * `ppt/presentation.xml`, for the copy only (processor/write-deck.ts applies them with the alt
 * text edits, byte-minimally: text-patches.ts). Pure.
 *
 * - `set_language: auto`: runs with no language get the deck's language (the language most
 *   runs are marked with; when none is marked, the language the deck's text is clearly written
 *   in, else none and the finding stays); runs marked with a language their text is not
 *   written in get the language it is (the tag the deck already uses for it, e.g. `de-DE`,
 *   else the bare language, `de`). The presentation's default text style gets the deck's
 *   language where it names another or none.
 * - `set_language: <tag>`: the deck is in that language: runs with no language, runs whose
 *   text is written in it but marked otherwise, and the default text style get the tag. Runs
 *   written in another language are left as they are.
 * - `mark_table_headers`: `firstRow="1"` on the `a:tblPr` of each table without a header row
 *   whose first row has text in every cell (an `a:tblPr` is added as the table's first child
 *   when there is none).
 *
 * A run gets its language on its own `a:rPr` (`lang` set, or an `<a:rPr lang="…"/>` inserted
 * as the run's first child): what it inherits is left alone. A finding is marked fixed when
 * every run (or the table) it is about was patched.
 */

export interface PlannedFixes {
  /** Patches of each part's text (slides by part name, and `ppt/presentation.xml`). */
  readonly patches: ReadonlyMap<string, readonly TextPatch[]>;
  /** The findings with `fixed` set for what the patches settle. */
  readonly audit: AuditResult['audit'];
  /** Why a fix asked for was not made (a deck whose language cannot be told). */
  readonly warnings: readonly string[];
}

export const PRESENTATION_PART = 'ppt/presentation.xml';

export function planFixes(deck: AuditDeck & { readonly parts: ReadonlyMap<string, { readonly text: string }> }, result: AuditResult, settings: AccessibilityConfig, presentationText: string | null): PlannedFixes {
  const patches = new Map<string, TextPatch[]>();
  const add = (part: string, patch: TextPatch) => {
    const list = patches.get(part);
    if (list) list.push(patch);
    else patches.set(part, [patch]);
  };
  const fixed = new Set<AuditFinding>();
  const warnings: string[] = [];
  const findings = result.audit.findings;
  const byPlace = new Map(findings.map((f) => [place(f.check, f.slide, f.shape_id), f]));

  if (settings.mark_table_headers) {
    for (const slide of result.slides) {
      const text = deck.parts.get(slide.part)?.text;
      if (text === undefined) continue;
      for (const shape of slide.shapes) {
        const table = shape.kind === 'graphicFrame' && !shape.hidden ? tableOf(shape.element) : undefined;
        if (!table || hasHeaderRow(table) || firstRowTexts(tableCells(table)) === null) continue;
        add(slide.part, headerRowPatch(text, table));
        const settled = byPlace.get(place('table-no-header', slide.number, shape.id));
        if (settled) fixed.add(settled);
      }
    }
  }

  if (settings.set_language !== 'off') {
    const languages = result.slides.map((slide) => ({ slide, language: slideLanguage(slide) }));
    const deckLanguage = settings.set_language === 'auto' ? autoLanguage(result, languages.flatMap((l) => l.language.mismatched)) : settings.set_language;
    const tagFor = languageTags(result);
    if (deckLanguage === null && languages.some((l) => l.language.unmarked.length > 0)) {
      warnings.push('The language of text with no language was not set: the deck marks none and its text does not say clearly which language it is in.');
    }
    let unmarkedLeft = 0;
    for (const { slide, language } of languages) {
      const text = deck.parts.get(slide.part)?.text;
      if (text === undefined) continue;
      for (const run of language.unmarked) {
        if (deckLanguage === null) unmarkedLeft += 1;
        else add(slide.part, runLanguagePatch(text, run, deckLanguage));
      }
      const relabel = language.mismatched.filter((mismatch) => settings.set_language === 'auto' || primaryLanguage(settings.set_language) === mismatch.written.language);
      for (const { run, written } of relabel) {
        add(slide.part, runLanguagePatch(text, run, settings.set_language === 'auto' ? (tagFor.get(written.language) ?? written.language) : settings.set_language));
      }
      const settled = byPlace.get(place('language-mismatch', slide.number, null));
      if (settled && relabel.length === language.mismatched.length) fixed.add(settled);
    }
    const notSet = byPlace.get(place('language-not-set', null, null));
    if (notSet && unmarkedLeft === 0) fixed.add(notSet);
    if (deckLanguage !== null && presentationText !== null) {
      for (const patch of defaultLanguagePatches(presentationText, deck.xml.presentation, deckLanguage)) add(PRESENTATION_PART, patch);
    }
  }

  return { patches, audit: withCounts(findings.map((f) => (fixed.has(f) ? { ...f, fixed: true } : f))), warnings };
}

/** A finding's place: its check, slide and shape (one finding per place for the checks fixed here). */
function place(check: AuditCheck, slide: number | null, shape: string | null): string {
  return `${check}#${slide ?? ''}#${shape ?? ''}`;
}

/** The language most runs are marked with, else the one the deck's text is clearly in. */
function autoLanguage(result: AuditResult, mismatched: readonly Mismatch[]): string | null {
  const wrong = new Set(mismatched.map((m) => m.run));
  const weights = new Map<string, number>();
  const texts: string[] = [];
  for (const slide of result.slides) {
    for (const block of slide.texts) {
      for (const run of block.runs) {
        texts.push(run.text);
        if (run.lang !== null && !wrong.has(run)) weights.set(run.lang, (weights.get(run.lang) ?? 0) + run.text.length);
      }
    }
  }
  let best: string | null = null;
  let bestWeight = 0;
  for (const [tag, weight] of weights) if (weight > bestWeight) [best, bestWeight] = [tag, weight];
  return best ?? guessLanguage(texts.join(' '))?.language ?? null;
}

/** For each language, the tag the deck marks most of its text in that language with (`de` → `de-AT`). */
function languageTags(result: AuditResult): Map<string, string> {
  const weights = new Map<string, Map<string, number>>();
  for (const slide of result.slides) {
    for (const block of slide.texts) {
      for (const run of block.runs) {
        if (run.lang === null) continue;
        const byTag = weights.get(primaryLanguage(run.lang)) ?? new Map<string, number>();
        byTag.set(run.lang, (byTag.get(run.lang) ?? 0) + run.text.length);
        weights.set(primaryLanguage(run.lang), byTag);
      }
    }
  }
  return new Map([...weights].map(([language, byTag]) => [language, [...byTag].sort((a, b) => b[1] - a[1])[0]![0]]));
}

function runLanguagePatch(text: string, run: TextRun, tag: string): TextPatch {
  if (run.properties) return setAttributePatch(text, run.properties, 'lang', tag);
  return insertFirstChildPatch(run.run, `<${qualified(run.run, 'rPr')} lang="${tag}"/>`);
}

function headerRowPatch(text: string, table: XmlElement): TextPatch {
  const properties = child(table, DML, 'tblPr');
  if (properties) return setAttributePatch(text, properties, 'firstRow', '1');
  return insertFirstChildPatch(table, `<${qualified(table, 'tblPr')} firstRow="1"/>`);
}

/** `a:rPr` next to `<a:r>`: a new element takes the prefix of the element it goes into. */
function qualified(parent: XmlElement, local: string): string {
  return parent.prefix === '' ? local : `${parent.prefix}:${local}`;
}

/** `lang` on every level of `p:defaultTextStyle` that names another language or none. */
function defaultLanguagePatches(text: string, presentation: XmlElement, tag: string): TextPatch[] {
  const style = child(presentation, PML, 'defaultTextStyle');
  if (!style) return [];
  const patches: TextPatch[] = [];
  for (const element of descendants(style)) {
    if (!DML.has(element.uri) || element.local !== 'defRPr') continue;
    const current = element.attributes.find((a) => a.uri === '' && a.local === 'lang')?.value ?? null;
    if (current === null || primaryLanguage(current) !== primaryLanguage(tag)) patches.push(setAttributePatch(text, element, 'lang', tag));
  }
  return patches;
}
