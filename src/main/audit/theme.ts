import { DML } from '../pptx/xml-namespaces';
import { child, type XmlElement } from '../pptx/xml-tree';

/**
 * What the audit reads from a theme part (`a:theme`): its twelve colours (`a:clrScheme`) and
 * its fill styles (`a:fmtScheme`), which shapes and backgrounds refer to by index
 * (`a:fillRef idx="2"`, `p:bgRef idx="1001"`).
 */
export interface Theme {
  /** `dk1`, `lt1`, `dk2`, `lt2`, `accent1`–`accent6`, `hlink`, `folHlink`: the colour element inside each. */
  readonly colors: ReadonlyMap<string, XmlElement>;
  /** `a:fillStyleLst` children, for `fillRef` indexes 1–999. */
  readonly fillStyles: readonly XmlElement[];
  /** `a:bgFillStyleLst` children, for indexes 1001 and up. */
  readonly backgroundFillStyles: readonly XmlElement[];
}

/** Themes are shared by the decks of a course (pptx/deck-themes.ts keeps their parsed roots): read each once. */
const read = new WeakMap<XmlElement, Theme>();

export function readTheme(root: XmlElement): Theme {
  const known = read.get(root);
  if (known) return known;
  const theme = themeOf(root);
  read.set(root, theme);
  return theme;
}

function themeOf(root: XmlElement): Theme {
  const elements = child(root, DML, 'themeElements');
  const colors = new Map<string, XmlElement>();
  for (const slot of child(elements, DML, 'clrScheme')?.children ?? []) {
    const color = slot.children[0];
    if (DML.has(slot.uri) && color) colors.set(slot.local, color);
  }
  const format = child(elements, DML, 'fmtScheme');
  const list = (name: string) => (child(format, DML, name)?.children ?? []).filter((element) => DML.has(element.uri));
  return { colors, fillStyles: list('fillStyleLst'), backgroundFillStyles: list('bgFillStyleLst') };
}

/** The fill a style reference's index names: 0 is no fill, 1–999 the fill styles, 1001 and up the background fills. */
export function themeFill(theme: Theme | null, index: number): XmlElement | null {
  if (!theme || !Number.isInteger(index) || index <= 0) return null;
  if (index >= 1001) return theme.backgroundFillStyles[index - 1001] ?? null;
  return theme.fillStyles[index - 1] ?? null;
}
