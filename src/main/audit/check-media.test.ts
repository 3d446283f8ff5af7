import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDeck, deckEntries } from '../fixtures/deck-builder';
import { auditEntries, auditFile, findingsOf, replaceIn } from './testing/audit-decks';

/** Videos and sounds without a caption track. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-media-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TRACKS = 'http://schemas.microsoft.com/office/powerpoint/2017/3/main';
const TRACK_REL = 'http://schemas.microsoft.com/office/2017/04/relationships/track';

describe('the captions check', () => {
  it('finds a video and a sound without captions, as PowerPoint embeds them', async () => {
    const file = path.join(dir, 'media.pptx');
    await buildDeck(file, { slides: [{ title: 'Heart sounds', pictures: [{ name: 'Echo loop', media: 'video', descr: 'Echo loop of the heart' }, { name: 'Murmur', media: 'audio', descr: 'Systolic murmur recording' }] }] });
    expect(findingsOf(await auditFile(file), 'media-no-captions')).toEqual([
      [1, 'Echo loop', "The video 'Echo loop' has no captions."],
      [1, 'Murmur', "The sound 'Murmur' has no captions."],
    ]);
  });

  it('passes a video whose caption track (WebVTT) is in the deck', async () => {
    const entries = deckEntries({ slides: [{ title: 'Heart sounds', pictures: [{ name: 'Echo loop', media: 'video', descr: 'Echo loop of the heart' }] }] });
    const tracks =
      `<p:ext uri="{3AFAAA56-56D3-431D-BCD4-E75A35582382}"><p1735:tracksInfo xmlns:p1735="${TRACKS}" displayLoc="media"><p1735:trackLst>` +
      '<p1735:track id="{E620E321-721C-4622-8809-84F97C748391}" label="English" lang="en-US" r:embed="rId9"/></p1735:trackLst></p1735:tracksInfo></p:ext>';
    replaceIn(entries, 'ppt/slides/slide1.xml', /(<p14:media [^>]*)\/>/, `$1><p14:extLst>${tracks}</p14:extLst></p14:media>`);
    replaceIn(entries, 'ppt/slides/_rels/slide1.xml.rels', '</Relationships>', `<Relationship Id="rId9" Type="${TRACK_REL}" Target="../media/captions1.vtt"/></Relationships>`);
    entries.set('ppt/media/captions1.vtt', 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nFour-chamber view\n');
    expect(findingsOf(await auditEntries(dir, entries), 'media-no-captions')).toEqual([]);
  });

  it('does not ask about captions of an online video (they live with the video)', async () => {
    const entries = deckEntries({ slides: [{ title: 'Lecture', pictures: [{ name: 'Online video', media: 'video', descr: 'Lecture recording' }] }] });
    replaceIn(entries, 'ppt/slides/_rels/slide1.xml.rels', /Target="..\/media\/media1_1.mp4"\/>/, 'Target="https://www.youtube.com/embed/abc" TargetMode="External"/>');
    expect(findingsOf(await auditEntries(dir, entries), 'media-no-captions')).toEqual([]);
  });
});
