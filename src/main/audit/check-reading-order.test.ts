import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditEntries, findingsOf, handDeckEntries, paragraph, picture, run, shape, slide } from './testing/audit-decks';

/** Reading order (the shape tree) against what people see (top to bottom, left to right). */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-order-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (id: number, name: string, box: { x: number; y: number; cx: number; cy: number }) => shape({ id, name, box, paragraphs: [paragraph(run(name))] });
const TOP = { x: 838_200, y: 300_000, cx: 10_000_000, cy: 1_000_000 };
const LEFT = { x: 838_200, y: 1_800_000, cx: 5_000_000, cy: 4_000_000 };
const RIGHT = { x: 6_200_000, y: 1_800_000, cx: 5_000_000, cy: 4_000_000 };

async function order(shapes: string) {
  return findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(shapes) }])), 'reading-order');
}

describe('the reading order check', () => {
  it('passes a slide read top to bottom, then left to right', async () => {
    expect(await order(text(2, 'Heading', TOP) + text(3, 'Left column', LEFT) + text(4, 'Right column', RIGHT))).toEqual([]);
  });

  it('finds a title read after the text below it, and suggests the order people see', async () => {
    const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(text(2, 'Left column', LEFT) + text(3, 'Heading', TOP)) }]));
    expect(audit.findings.filter((f) => f.check === 'reading-order')).toEqual([
      expect.objectContaining({
        slide: 1,
        severity: 'warning',
        message: "A screen reader reads 'Left column' before 'Heading', which is shown above it.",
        suggestion: { text: "Read them in this order: 'Heading', 'Left column'?", value: ['Heading', 'Left column'] },
      }),
    ]);
  });

  it('finds a right column read before the left one in the same row', async () => {
    expect(await order(text(2, 'Heading', TOP) + text(3, 'Right column', RIGHT) + text(4, 'Left column', LEFT))).toEqual([
      [1, null, "A screen reader reads 'Right column' before 'Left column', which is shown to the left of it."],
    ]);
  });

  it('reads a group as one, at its place, and leaves out hidden, decorative and empty shapes', async () => {
    const group =
      '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="5" name="Figure group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
      '<p:grpSpPr><a:xfrm><a:off x="838200" y="1800000"/><a:ext cx="5000000" cy="4000000"/><a:chOff x="0" y="0"/><a:chExt cx="5000000" cy="4000000"/></a:xfrm></p:grpSpPr>' +
      // Inside the group, the label is drawn above the picture and read after it: the group is read as one.
      picture(6, 'Scan', { x: 0, y: 1_000_000, cx: 5_000_000, cy: 3_000_000 }) +
      text(7, 'Label', { x: 0, y: 0, cx: 5_000_000, cy: 900_000 }) +
      '</p:grpSp>';
    const hiddenFooter = shape({ id: 8, name: 'Hidden note', box: { x: 838_200, y: 100_000, cx: 3_000_000, cy: 100_000 }, attributes: ' hidden="1"', paragraphs: [paragraph(run('hidden'))] });
    const line = shape({ id: 9, name: 'Empty rectangle', box: { x: 838_200, y: 0, cx: 100_000, cy: 100_000 } });
    expect(await order(text(2, 'Heading', TOP) + group + text(4, 'Right column', RIGHT) + hiddenFooter + line)).toEqual([]);
  });
});
