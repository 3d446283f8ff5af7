import type { Relationships } from './pptx-types';
import { DML, OFFICE_RELATIONSHIPS } from './xml-namespaces';
import { descendants, type XmlElement } from './xml-tree';

/**
 * Does a `p:pic` carry a sound or a video? Then its picture is the media's icon or poster
 * frame, and the shape is the media object a screen reader announces: it needs a name and is
 * never decorative.
 *
 * A picture carries media when its `p:nvPr` holds one of DrawingML's media elements
 * (`a:audioFile`, `a:videoFile`, `a:wavAudioFile`, `a:audioCd`, `a:quickTimeFile`), the
 * PowerPoint 2010 extension `p14:media`, or any relationship reference (`r:embed`, `r:link`,
 * `r:id`) whose relationship is of an audio, video or media type.
 */

const MEDIA_ELEMENTS: ReadonlySet<string> = new Set(['audioFile', 'videoFile', 'wavAudioFile', 'audioCd', 'quickTimeFile']);

/** `p14:media` in `p:nvPr/p:extLst`: the embedded media of PowerPoint 2010 and later. */
const P14 = 'http://schemas.microsoft.com/office/powerpoint/2010/main';

/** `…/relationships/audio`, `…/relationships/video`, and Office's `…/2007/relationships/media`. */
const MEDIA_RELATIONSHIP = /\/(?:audio|video|media)$/;

export function carriesMedia(nvPr: XmlElement | undefined, rels: Relationships): boolean {
  if (!nvPr) return false;
  for (const element of descendants(nvPr)) {
    if (DML.has(element.uri) && MEDIA_ELEMENTS.has(element.local)) return true;
    if (element.uri === P14 && element.local === 'media') return true;
    for (const reference of element.attributes) {
      if (!OFFICE_RELATIONSHIPS.has(reference.uri)) continue;
      const relationship = rels.get(reference.value);
      if (relationship && MEDIA_RELATIONSHIP.test(relationship.type)) return true;
    }
  }
  return false;
}
