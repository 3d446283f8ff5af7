import { altTextVerdict, type AltTextRules, type AltTextWeakness } from '../../shared/alt-text-quality';
import type { AuditFinding } from '../../shared/accessibility-audit';
import { assertNever } from '../../shared/assert-never';
import { carriesMedia } from '../pptx/picture-media';
import { CHART, CHARTEX, DIAGRAM, DML, OFFICE_RELATIONSHIPS, PML, TABLE_GRAPHIC } from '../pptx/xml-namespaces';
import { attribute, attributeIn, child } from '../pptx/xml-tree';
import { mediaKind } from './check-media';
import { finding, quoted } from './finding';
import type { SlideFacts } from './slide-facts';
import type { SlideShape } from './slide-shapes';

/**
 * Pictures, shapes filled with a picture, charts, SmartArt graphics, embedded objects, videos,
 * sounds and groups on slides whose alt text is missing or, by AltGen's rules
 * (shared/alt-text-quality.ts), only looks like alt text: a file name, "Picture 3", Office's
 * automatic caption. Decorative and hidden shapes are left out, and so are tables (PowerPoint
 * asks for a header row instead, table-check.ts).
 */

type ObjectKind = 'picture' | 'picture-fill' | 'chart' | 'smartart' | 'object' | 'video' | 'sound' | 'video or sound' | 'group';

const WORDS: Readonly<Record<ObjectKind, string>> = {
  picture: 'picture',
  'picture-fill': 'shape filled with a picture',
  chart: 'chart',
  smartart: 'SmartArt graphic',
  object: 'embedded object',
  video: 'video',
  sound: 'sound',
  'video or sound': 'video or sound',
  group: 'group',
};

const WEAK: Readonly<Record<AltTextWeakness, string>> = {
  'file-name': 'is only a file name or web address',
  'shape-name': "is only the shape's default name",
  'auto-caption': "is Office's automatic caption",
  configured: 'matches one of alt_text.weak_patterns',
  'too-short': 'is too short to describe anything',
};

export function checkAltText(slide: SlideFacts, rules: AltTextRules): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const shape of slide.shapes) {
    if (shape.hidden || shape.decorative) continue;
    const kind = objectKind(shape, slide);
    if (kind === null) continue;
    const verdict = altTextVerdict(shape.descr, rules);
    if (verdict.quality === 'human') continue;
    const what = `The ${WORDS[kind]} ${quoted(shape.name)}`;
    const message =
      verdict.quality === 'missing'
        ? `${what} has no alt text.`
        : `${what} has alt text that ${WEAK[verdict.weakness ?? 'too-short']} (${quoted(shape.descr ?? '')}).`;
    findings.push(finding('missing-alt-text', slide, shape, { message, advice: advice(kind), fix: fixable(kind) ? 'alt-text' : null }));
  }
  return findings;
}

function objectKind(shape: SlideShape, slide: SlideFacts): ObjectKind | null {
  switch (shape.kind) {
    case 'pic': {
      const nvPr = child(child(shape.element, PML, 'nvPicPr'), PML, 'nvPr');
      return nvPr && carriesMedia(nvPr, slide.context.slide.rels) ? mediaKind(nvPr, slide.context.slide.rels) : 'picture';
    }
    case 'sp': {
      const blip = child(child(child(shape.element, PML, 'spPr'), DML, 'blipFill'), DML, 'blip');
      const named = attributeIn(blip, OFFICE_RELATIONSHIPS, 'embed') ?? attributeIn(blip, OFFICE_RELATIONSHIPS, 'link');
      return named ? 'picture-fill' : null;
    }
    case 'graphicFrame': {
      const uri = attribute(child(child(shape.element, DML, 'graphic'), DML, 'graphicData'), 'uri') ?? '';
      if (TABLE_GRAPHIC.has(uri)) return null;
      if (CHART.has(uri) || CHARTEX.has(uri)) return 'chart';
      if (DIAGRAM.has(uri)) return 'smartart';
      return 'object';
    }
    case 'grpSp':
      return 'group';
    case 'cxnSp':
    case 'contentPart':
      return null;
    default:
      return assertNever(shape.kind, 'shape kind');
  }
}

/** What AltGen's run writes alt text for (pictures and media by the model, charts and SmartArt from their data). */
function fixable(kind: ObjectKind): boolean {
  return kind !== 'object' && kind !== 'group';
}

function advice(kind: ObjectKind): string {
  switch (kind) {
    case 'picture':
    case 'picture-fill':
      return 'Describe what it shows (right-click › View Alt Text), or mark it decorative if it adds nothing; AltGen writes a description when it processes the deck.';
    case 'chart':
    case 'smartart':
      return 'Say what it shows and its main message (right-click › View Alt Text); AltGen writes one from its data when it processes the deck.';
    case 'video':
    case 'sound':
    case 'video or sound':
      return 'Name what it is and what it shows (right-click › View Alt Text); AltGen writes a description of its picture when it processes the deck.';
    case 'object':
      return 'Describe what the object shows (right-click › View Alt Text), or mark it decorative if it adds nothing.';
    case 'group':
      return 'Describe what the group shows as a whole (right-click the group › View Alt Text), or mark it decorative if it adds nothing.';
    default:
      return assertNever(kind, 'object kind');
  }
}
