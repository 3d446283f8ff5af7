import type { PackageEntry, PackageReader } from './package-reader';
import { parseXml, type XmlElement } from './xml-tree';

/**
 * The themes of a deck's masters, parsed, for the accessibility audit's colours and fills.
 *
 * - A theme that is not well-formed is left out (its colours are then unknown to the audit):
 *   it is not a reason to refuse a deck that every other reader reads.
 * - Themes are recognised by their ZIP entry (CRC-32, sizes, method): the decks of a course
 *   share their template's theme, and a dry-run thread reading deck after deck parses it once.
 *   A deck that claims another theme's CRC-32 and sizes gets that theme's colours in its
 *   audit; nothing else reads the theme.
 */

const KEPT_THEMES = 32;
const parsed = new Map<string, XmlElement | null>();

function identity(entry: PackageEntry): string {
  return `${entry.crc32}:${entry.uncompressedSize}:${entry.compressedSize}:${entry.compressionMethod}`;
}

export async function readTheme(reader: PackageReader, part: string): Promise<XmlElement | null> {
  const entry = reader.entry(part);
  if (!entry) return null;
  const key = identity(entry);
  const known = parsed.get(key);
  if (known !== undefined) return known;
  let root: XmlElement | null;
  try {
    root = parseXml(await reader.readText(part), part);
  } catch {
    root = null;
  }
  if (parsed.size >= KEPT_THEMES) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, root);
  return root;
}
