import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { PNG_DATA } from '../pptx/slide-test-xml';
import { auditEntries, auditFile, cell, findingsOf, handDeckEntries, paragraph, picture, replaceIn, run, shape, slide, solid, table } from './testing/audit-decks';

/**
 * Text contrast (WCAG 2.1 1.4.3) from the deck's own XML, on decks built to fail and to pass:
 * colours set on the run and inherited from the master's text styles, theme colours through
 * the colour map with their tints and shades, fills of the shape, of its placeholder in the
 * layout, of its group and of shapes behind it, and backgrounds from the slide, layout and master.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-contrast-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOX = { x: 838_200, y: 1_825_625, cx: 6_000_000, cy: 1_000_000 };
const WIDE = { x: 0, y: 0, cx: 12_192_000, cy: 6_858_000 };

/** One text box with one run of `text`, `size` hundredths of a point, coloured by `fill`. */
function textBox(name: string, runProperties: string, fill = '', shapeFill = '', id = 2): string {
  return shape({ id, name, box: BOX, fill: shapeFill, paragraphs: [paragraph(run('Cardiac output', runProperties, fill))] });
}

async function contrast(shapes: string, options: { background?: string; edit?: Parameters<typeof handDeckEntries>[1] } = {}) {
  const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(shapes, { background: options.background }) }], options.edit));
  return { low: findingsOf(audit, 'low-contrast'), unknown: findingsOf(audit, 'contrast-unknown') };
}

describe('the contrast check', () => {
  it('passes black text on the white background the theme gives, and dark grey just above 4.5:1', async () => {
    expect(await contrast(textBox('Black', 'lang="en-US" sz="1200"') + textBox('Grey', 'lang="en-US" sz="1200"', solid('767676'), '', 3))).toEqual({ low: [], unknown: [] });
  });

  it('fails grey text below 4.5:1 and shows the ratio cut, not rounded (4.47:1, not 4.48:1)', async () => {
    expect((await contrast(textBox('Grey', 'lang="en-US" sz="1200"', solid('777777')))).low).toEqual([
      [1, 'Grey', "1 text run in 'Grey' has a contrast of 4.47:1 (#777777 on #FFFFFF), below the 4.5:1 it needs."],
    ]);
  });

  it('holds large text (18 pt, or 14 pt bold) to 3:1 and smaller text to 4.5:1', async () => {
    const shapes =
      textBox('Large', 'lang="en-US" sz="1800"', solid('8B8B8B'), '', 2) +
      textBox('Bold', 'lang="en-US" sz="1400" b="1"', solid('8B8B8B'), '', 3) +
      textBox('Small', 'lang="en-US" sz="1400"', solid('8B8B8B'), '', 4) +
      textBox('Large but too light', 'lang="en-US" sz="2400"', solid('959595'), '', 5);
    expect((await contrast(shapes)).low).toEqual([
      [1, 'Small', "1 text run in 'Small' has a contrast of 3.40:1 (#8B8B8B on #FFFFFF), below the 4.5:1 it needs."],
      [1, 'Large but too light', "1 text run in 'Large but too light' has a contrast of 2.99:1 (#959595 on #FFFFFF), below the 3:1 it needs."],
    ]);
  });

  it('takes the size after shrink-to-fit: 20 pt shrunk to 75 % is small text', async () => {
    const shrunk = shape({ id: 2, name: 'Shrunk', box: BOX, bodyContent: '<a:normAutofit fontScale="75000"/>', paragraphs: [paragraph(run('Cardiac output', 'lang="en-US" sz="2000"', solid('8B8B8B')))] });
    expect((await contrast(shrunk)).low).toEqual([
      [1, 'Shrunk', "1 text run in 'Shrunk' has a contrast of 3.40:1 (#8B8B8B on #FFFFFF), below the 4.5:1 it needs."],
    ]);
  });

  it("inherits the text colour from the master's body style and the background from the master", async () => {
    const body = shape({ id: 2, name: 'Content Placeholder 2', placeholder: 'idx="1"', paragraphs: [paragraph(run('Preload and afterload'))] });
    const darkMaster = (entries: Parameters<NonNullable<Parameters<typeof handDeckEntries>[1]>>[0]) =>
      replaceIn(entries, 'ppt/slideMasters/slideMaster1.xml', /<p:bg>.*?<\/p:bg>/, `<p:bg><p:bgPr>${solid('1F1F1F')}<a:effectLst/></p:bgPr></p:bg>`);
    expect((await contrast(body, { edit: darkMaster })).low).toEqual([
      [1, 'Content Placeholder 2', "1 text run in 'Content Placeholder 2' has a contrast of 1.27:1 (#000000 on #1F1F1F), below the 3:1 it needs."],
    ]);
    // The same master with a body style in bg1 (white): passes.
    const whiteBody = (entries: Parameters<NonNullable<Parameters<typeof handDeckEntries>[1]>>[0]) => {
      darkMaster(entries);
      replaceIn(entries, 'ppt/slideMasters/slideMaster1.xml', /<p:bodyStyle><a:lvl1pPr><a:defRPr sz="2800" kern="1200"><a:solidFill><a:schemeClr val="tx1"\/>/, '<p:bodyStyle><a:lvl1pPr><a:defRPr sz="2800" kern="1200"><a:solidFill><a:schemeClr val="bg1"/>');
    };
    expect((await contrast(body, { edit: whiteBody })).low).toEqual([]);
  });

  it('follows the colour map: a slide that swaps tx1 and bg1 shows light text on a dark background', async () => {
    const body = shape({ id: 2, name: 'Content Placeholder 2', placeholder: 'idx="1"', paragraphs: [paragraph(run('Preload and afterload'))] });
    const swapped =
      '<p:clrMapOvr><a:overrideClrMapping bg1="dk1" tx1="lt1" bg2="dk2" tx2="lt2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/></p:clrMapOvr>';
    const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(body, { clrMapOvr: swapped }) }]));
    expect(findingsOf(audit, 'low-contrast')).toEqual([]);
    // The same slide with its text set to dk1 explicitly: black on black.
    const black = shape({ id: 2, name: 'Black', placeholder: 'idx="1"', paragraphs: [paragraph(run('Preload', 'lang="en-US"', '<a:solidFill><a:schemeClr val="dk1"/></a:solidFill>'))] });
    const failing = await auditEntries(dir, handDeckEntries([{ xml: slide(black, { clrMapOvr: swapped }) }]));
    expect(findingsOf(failing, 'low-contrast')).toEqual([[1, 'Black', "1 text run in 'Black' has a contrast of 1.00:1 (#000000 on #000000), below the 3:1 it needs."]]);
  });

  it('resolves theme colours with their shades: accent1 at 50 % luminance passes where plain accent2 does not', async () => {
    const shapes =
      textBox('Dark blue', 'lang="en-US" sz="1200"', '<a:solidFill><a:schemeClr val="accent1"><a:lumMod val="50000"/></a:schemeClr></a:solidFill>', '', 2) +
      textBox('Orange', 'lang="en-US" sz="1200"', '<a:solidFill><a:schemeClr val="accent2"/></a:solidFill>', '', 3) +
      textBox('Light blue', 'lang="en-US" sz="1200"', '<a:solidFill><a:schemeClr val="accent1"><a:lumMod val="40000"/><a:lumOff val="60000"/></a:schemeClr></a:solidFill>', '', 4);
    expect((await contrast(shapes)).low).toEqual([
      [1, 'Orange', "1 text run in 'Orange' has a contrast of 2.77:1 (#ED7D31 on #FFFFFF), below the 4.5:1 it needs."],
      [1, 'Light blue', "1 text run in 'Light blue' has a contrast of 1.71:1 (#B4C7E7 on #FFFFFF), below the 4.5:1 it needs."],
    ]);
  });

  it("checks text against its shape's own fill, and a PowerPoint shape's white text against its theme fill", async () => {
    const yellow = textBox('Yellow box', 'lang="en-US" sz="1200"', solid('FFFFFF'), solid('FFC000'), 2);
    const themed = shape({
      id: 3,
      name: 'Orange shape',
      box: { ...BOX, y: 3_000_000 },
      style:
        '<p:style><a:lnRef idx="2"><a:schemeClr val="accent2"><a:shade val="50000"/></a:schemeClr></a:lnRef><a:fillRef idx="1"><a:schemeClr val="accent2"/></a:fillRef>' +
        '<a:effectRef idx="0"><a:schemeClr val="accent2"/></a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>',
      paragraphs: [paragraph(run('Afterload', 'lang="en-US" sz="2000"'))],
    });
    expect((await contrast(yellow + themed)).low).toEqual([
      [1, 'Yellow box', "1 text run in 'Yellow box' has a contrast of 1.64:1 (#FFFFFF on #FFC000), below the 4.5:1 it needs."],
      [1, 'Orange shape', "1 text run in 'Orange shape' has a contrast of 2.77:1 (#FFFFFF on #ED7D31), below the 3:1 it needs."],
    ]);
  });

  it("takes a placeholder's fill from its layout", async () => {
    const title = shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', paragraphs: [paragraph(run('Heart failure'))] });
    const navyTitle = (entries: Parameters<NonNullable<Parameters<typeof handDeckEntries>[1]>>[0]) =>
      replaceIn(entries, 'ppt/slideLayouts/slideLayout1.xml', /(<p:cNvPr id="2" name="Title 1"\/>.*?<p:spPr>)/, `$1${solid('000080')}`);
    expect((await contrast(title, { edit: navyTitle })).low).toEqual([
      [1, 'Title 1', "1 text run in 'Title 1' has a contrast of 1.31:1 (#000000 on #000080), below the 3:1 it needs."],
    ]);
  });

  it('looks through a text box without a fill to the shape behind it, blending a half-transparent fill', async () => {
    const behind = shape({ id: 2, name: 'Panel', box: WIDE, fill: '<a:solidFill><a:srgbClr val="000000"><a:alpha val="50000"/></a:srgbClr></a:solidFill>' });
    const text = textBox('Caption', 'lang="en-US" sz="1200"', solid('FFFFFF'), '', 3);
    expect((await contrast(behind + text)).low).toEqual([
      [1, 'Caption', "1 text run in 'Caption' has a contrast of 3.97:1 (#FFFFFF on #808080), below the 4.5:1 it needs."],
    ]);
  });

  it("takes a group member's grpFill from the group", async () => {
    const member = shape({ id: 3, name: 'Label', box: BOX, fill: '<a:grpFill/>', paragraphs: [paragraph(run('Label', 'lang="en-US" sz="1200"'))] });
    const group =
      '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="2" name="Dark group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
      `<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="12192000" cy="6858000"/><a:chOff x="0" y="0"/><a:chExt cx="12192000" cy="6858000"/></a:xfrm>${solid('1F1F1F')}</p:grpSpPr>` +
      `${member}</p:grpSp>`;
    expect((await contrast(group)).low).toEqual([[1, 'Label', "1 text run in 'Label' has a contrast of 1.27:1 (#000000 on #1F1F1F), below the 4.5:1 it needs."]]);
  });

  it('shows hyperlinks in the theme hyperlink colour, unless the link keeps the text colour', async () => {
    const link = (name: string, id: number, keep: boolean) =>
      shape({
        id,
        name,
        box: { ...BOX, y: BOX.y + id * 1_100_000 },
        paragraphs: [
          paragraph(
            run(
              'European guidelines',
              'lang="en-US" sz="1200"',
              `${solid('FFFFFF')}<a:hlinkClick r:id="rId3">${keep ? '<a:extLst><a:ext uri="{A12FA001-AC4F-418D-AE19-62706E023703}"><ahyp:hlinkClr xmlns:ahyp="http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor" val="tx"/></a:ext></a:extLst>' : ''}</a:hlinkClick>`,
            ),
          ),
        ],
      });
    const audit = await auditEntries(
      dir,
      handDeckEntries([
        {
          xml: slide(link('Theme link', 2, false) + link('Own colour link', 3, true), { background: `<p:bg><p:bgPr>${solid('1F3864')}<a:effectLst/></p:bgPr></p:bg>` }),
          rels: [{ id: 'rId3', type: `${'http://schemas.openxmlformats.org/officeDocument/2006/relationships'}/hyperlink`, target: 'https://www.escardio.org/', external: true }],
        },
      ]),
    );
    expect(findingsOf(audit, 'low-contrast')).toEqual([
      [1, 'Theme link', "1 text run in 'Theme link' has a contrast of 1.96:1 (#0563C1 on #1F3864), below the 4.5:1 it needs."],
    ]);
  });

  it('cannot decide text over a picture, or on a picture background, and says why', async () => {
    const overPhoto = picture(2, 'Photo', WIDE) + textBox('Caption', 'lang="en-US" sz="1200"', solid('FFFFFF'), '', 3);
    expect(await contrast(overPhoto)).toEqual({
      low: [],
      unknown: [[1, 'Caption', "The contrast of 1 text run in 'Caption' cannot be decided: it is over the picture 'Photo'."]],
    });
    const pictureBackground = (entries: Parameters<NonNullable<Parameters<typeof handDeckEntries>[1]>>[0]) =>
      replaceIn(entries, 'ppt/slideMasters/slideMaster1.xml', /<p:bg>.*?<\/p:bg>/, '<p:bg><p:bgPr><a:blipFill><a:blip r:embed="rId9"/><a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>');
    expect(await contrast(textBox('Caption', 'lang="en-US" sz="1200"'), { edit: pictureBackground })).toEqual({
      low: [],
      unknown: [[1, 'Caption', "The contrast of 1 text run in 'Caption' cannot be decided: the slide background is a picture."]],
    });
  });

  it('checks a table cell against its own fill, a cell of a table without a style against what is behind the table, and leaves the rest of a styled table alone', async () => {
    const cells = [[cell('Drug', '', solid('FFC000'), 'lang="en-US" sz="1200"', solid('FFFFFF')), cell('Dose', '', '', 'lang="en-US" sz="1200"')]];
    const styled = table(2, 'Styled table', BOX, cells, '<a:tblPr firstRow="1"><a:tableStyleId>{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}</a:tableStyleId></a:tblPr>');
    expect(findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(styled) }])), 'low-contrast')).toEqual([
      [1, 'Styled table', "1 text run in 'Styled table' has a contrast of 1.64:1 (#FFFFFF on #FFC000), below the 4.5:1 it needs."],
    ]);
    const unstyled = table(2, 'Plain table', BOX, [[cell('Drug', '', '', 'lang="en-US" sz="1200"', solid('FFFFFF'))]], '<a:tblPr firstRow="1"/>');
    expect(findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(unstyled) }])), 'low-contrast')).toEqual([
      [1, 'Plain table', "1 text run in 'Plain table' has a contrast of 1.00:1 (#FFFFFF on #FFFFFF), below the 4.5:1 it needs."],
    ]);
  });

  it('checks a deck written by pptxgenjs: light grey text, and default text on a black background', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        const first = pptx.addSlide();
        first.addText('Readable', { x: 0.5, y: 0.5, w: 6, h: 1, fontSize: 12, color: '333333' });
        first.addText('Too light', { x: 0.5, y: 2, w: 6, h: 1, fontSize: 12, color: 'AAAAAA' });
        const second = pptx.addSlide();
        second.background = { color: '000000' };
        second.addText('Unseen', { x: 0.5, y: 0.5, w: 6, h: 1, fontSize: 24 });
        second.addImage({ data: PNG_DATA, x: 0, y: 3, w: 10, h: 2.5 });
        second.addText('Over the picture', { x: 1, y: 3.5, w: 4, h: 1, fontSize: 24, color: 'FFFFFF' });
      }),
    );
    const audit = await auditFile(file);
    expect(findingsOf(audit, 'low-contrast')).toEqual([
      [1, 'Text 1', "1 text run in 'Text 1' has a contrast of 2.32:1 (#AAAAAA on #FFFFFF), below the 4.5:1 it needs."],
      [2, 'Text 0', "1 text run in 'Text 0' has a contrast of 1.00:1 (#000000 on #000000), below the 3:1 it needs."],
    ]);
    expect(findingsOf(audit, 'contrast-unknown')).toEqual([[2, 'Text 1', "The contrast of 1 text run in 'Text 1' cannot be decided: it is over the picture 'Image 0'."]]);
  });
});
