import type { AuditFinding } from '../../shared/accessibility-audit';
import type { Relationships } from '../pptx/pptx-types';
import { carriesMedia } from '../pptx/picture-media';
import { DML, OFFICE_RELATIONSHIPS, PML } from '../pptx/xml-namespaces';
import { attributeIn, child, descendants, type XmlElement } from '../pptx/xml-tree';
import { finding, quoted } from './finding';
import type { SlideFacts } from './slide-facts';

/**
 * Videos and sounds without captions (PowerPoint's "Missing closed captions"). PowerPoint
 * (365, 2019 and later) keeps the caption files it inserts (WebVTT) as parts of the deck: the
 * media's `p14:media` extension holds `p1735:tracksInfo/p1735:trackLst/p1735:track` elements
 * whose `r:embed` (or `r:link`) names each one through a relationship of type
 * `…/2017/04/relationships/track`. A video or sound has captions when a track names a
 * relationship the slide has.
 *
 * Online videos (a `videoFile` linked to a web address: YouTube, Stream) are left out: their
 * captions live with the video on the web, where the deck says nothing about them.
 */

const TRACKS = 'http://schemas.microsoft.com/office/powerpoint/2017/3/main';
const VIDEO_ELEMENTS = new Set(['videoFile', 'quickTimeFile']);
const AUDIO_ELEMENTS = new Set(['audioFile', 'wavAudioFile', 'audioCd']);

export function checkMedia(slide: SlideFacts): AuditFinding[] {
  const rels = slide.context.slide.rels;
  const findings: AuditFinding[] = [];
  for (const shape of slide.shapes) {
    if (shape.kind !== 'pic' || shape.hidden) continue;
    const nvPr = child(child(shape.element, PML, 'nvPicPr'), PML, 'nvPr');
    if (!nvPr || !carriesMedia(nvPr, rels) || isOnline(nvPr, rels) || hasCaptions(shape.element, rels)) continue;
    const kind = mediaKind(nvPr, rels);
    findings.push(
      finding('media-no-captions', slide, shape, {
        message: `The ${kind} ${quoted(shape.name)} has no captions.`,
        advice:
          kind === 'sound'
            ? 'Add captions (Playback › Insert Captions, a WebVTT file), or put a transcript on the slide or in its notes.'
            : 'Add captions (Playback › Insert Captions, a WebVTT file); for a video without speech, describe what it shows in the notes.',
      }),
    );
  }
  return findings;
}

function hasCaptions(picture: XmlElement, rels: Relationships): boolean {
  for (const element of descendants(picture)) {
    if (element.uri !== TRACKS || element.local !== 'track') continue;
    const id = attributeIn(element, OFFICE_RELATIONSHIPS, 'embed') ?? attributeIn(element, OFFICE_RELATIONSHIPS, 'link');
    if (id !== null && rels.has(id)) return true;
  }
  return false;
}

function isOnline(nvPr: XmlElement, rels: Relationships): boolean {
  const video = child(nvPr, DML, 'videoFile');
  const linked = rels.get(attributeIn(video, OFFICE_RELATIONSHIPS, 'link') ?? '');
  return linked !== undefined && linked.external && /^https?:\/\//i.test(linked.target);
}

/** What a media picture plays, by its media elements, else by its relationships' types. */
export function mediaKind(nvPr: XmlElement, rels: Relationships): 'video' | 'sound' | 'video or sound' {
  for (const element of nvPr.children) {
    if (!DML.has(element.uri)) continue;
    if (VIDEO_ELEMENTS.has(element.local)) return 'video';
    if (AUDIO_ELEMENTS.has(element.local)) return 'sound';
  }
  for (const relationship of rels.values()) {
    if (/\/video$/.test(relationship.type) && referenced(nvPr, relationship.id)) return 'video';
    if (/\/audio$/.test(relationship.type) && referenced(nvPr, relationship.id)) return 'sound';
  }
  return 'video or sound';
}

function referenced(nvPr: XmlElement, id: string): boolean {
  for (const element of descendants(nvPr)) {
    if (element.attributes.some((attribute) => OFFICE_RELATIONSHIPS.has(attribute.uri) && attribute.value === id)) return true;
  }
  return false;
}
