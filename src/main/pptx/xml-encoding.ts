import { assertNever } from '../../shared/assert-never';
import { XmlParseError } from './xml-tree';

/**
 * The bytes of an XML part as the string the slide layer reads and edits, and back.
 *
 * OPC allows UTF-8 and UTF-16 parts (Office writes UTF-16 in some old templates); offsets
 * reported by the readers count UTF-16 code units of the decoded string. Guarantee:
 * `encodeXmlPart(decodeXmlPart(bytes))` gives back exactly `bytes`, byte order mark
 * included, so the bytes outside an edit stay the same. Bytes that are not valid in their
 * encoding are refused rather than replaced, since replacing them would change the part.
 */

export type XmlEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedXmlPart {
  /** The text, with a byte order mark kept as a leading U+FEFF. */
  readonly text: string;
  readonly encoding: XmlEncoding;
}

export function detectXmlEncoding(bytes: Uint8Array): XmlEncoding {
  const [b0, b1] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0x3c && b1 === 0x00)) return 'utf-16le';
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0x00 && b1 === 0x3c)) return 'utf-16be';
  return 'utf-8';
}

export function decodeXmlPart(bytes: Uint8Array, source = 'XML part'): DecodedXmlPart {
  const encoding = detectXmlEncoding(bytes);
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
    return { text, encoding };
  } catch {
    throw new XmlParseError(`${source} is not valid ${encoding.toUpperCase()} text`);
  }
}

export function encodeXmlPart(text: string, encoding: XmlEncoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16be':
      return Buffer.from(text, 'utf16le').swap16();
    default:
      return assertNever(encoding);
  }
}
