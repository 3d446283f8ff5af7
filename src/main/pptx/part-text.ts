import { TextDecoder } from 'node:util';
import { PackageError, unsafeXmlError } from './package-error';

/**
 * The text of a package part, and its bytes again: the one codec of part text. The package
 * reader decodes every text part with it; an edited part is encoded back with `encodeText`.
 *
 * Guarantees:
 * - UTF-8 or UTF-16 (little or big endian), chosen by the byte order mark or, without one, by
 *   the `<` of the first character (OPC allows both; Office writes UTF-16 in some old
 *   templates). Decoding is strict: bytes that are not valid text are a `PackageError`
 *   ECORRUPT, never replaced, since replacing them would change the part.
 * - The byte order mark is not part of the text (offsets the slide layer reports count UTF-16
 *   code units of the text after it) and is remembered in the encoding:
 *   `encodeText(text, encoding)` gives back exactly the part's bytes, byte order mark
 *   included, so that the bytes outside an edit stay the same.
 * - A DOCTYPE or ENTITY declaration outside comments and CDATA is refused as the text is
 *   decoded (`DeclarationGuard`), wherever the chunks split it: EUNSAFE_XML.
 */

/** How a text part was encoded, so that an edited copy can be encoded the same way. */
export interface TextEncoding {
  readonly charset: 'utf-8' | 'utf-16le' | 'utf-16be';
  readonly bom: boolean;
}

export interface TextPart {
  readonly text: string;
  readonly encoding: TextEncoding;
}

/** Decodes one part, choosing the charset from its first bytes. */
export class PartDecoder {
  private decoder: TextDecoder | null = null;
  private head = Buffer.alloc(0);
  private detected: TextEncoding = { charset: 'utf-8', bom: false };

  constructor(private readonly part: string) {}

  get encoding(): TextEncoding {
    return this.detected;
  }

  decode(bytes: Buffer): string {
    if (!this.decoder) {
      this.head = Buffer.concat([this.head, bytes]);
      if (this.head.length < 3) return '';
      return this.start(this.head);
    }
    return this.run(() => this.decoder?.decode(bytes, { stream: true }) ?? '');
  }

  end(): string {
    const pending = this.decoder ? '' : this.start(this.head);
    return pending + this.run(() => this.decoder?.decode() ?? '');
  }

  private start(head: Buffer): string {
    this.detected = detectEncoding(head);
    this.head = Buffer.alloc(0);
    this.decoder = new TextDecoder(this.detected.charset, { fatal: true, ignoreBOM: false });
    const decoder = this.decoder;
    return this.run(() => decoder.decode(head, { stream: true }));
  }

  private run(decode: () => string): string {
    try {
      return decode();
    } catch {
      throw notText(this.detected, this.part);
    }
  }
}

/**
 * A small part's bytes as text, in one pass: the same text, encoding and errors, in the same
 * order, as `PartDecoder` and `DeclarationGuard` over the part as one chunk, without a decoder
 * of its own. The decoders are shared: each call uses one from start to end synchronously, and
 * one that threw (it may hold part of a sequence) is replaced, so that no state carries over.
 */
export function decodeWholePart(bytes: Buffer, part: string): TextPart {
  const encoding = detectEncoding(bytes);
  const decoder = sharedDecoders.get(encoding.charset) ?? newDecoder(encoding.charset);
  const guard = new DeclarationGuard(part);
  let text: string;
  let rest: string;
  try {
    text = decoder.decode(bytes, { stream: true });
  } catch {
    sharedDecoders.delete(encoding.charset);
    throw notText(encoding, part);
  }
  guard.check(text);
  try {
    rest = decoder.decode();
  } catch {
    sharedDecoders.delete(encoding.charset);
    throw notText(encoding, part);
  }
  guard.check(rest, true);
  return { text: text + rest, encoding };
}

const sharedDecoders = new Map<TextEncoding['charset'], TextDecoder>();

function newDecoder(charset: TextEncoding['charset']): TextDecoder {
  const decoder = new TextDecoder(charset, { fatal: true, ignoreBOM: false });
  sharedDecoders.set(charset, decoder);
  return decoder;
}

function notText(encoding: TextEncoding, part: string): PackageError {
  return new PackageError('ECORRUPT', `Damaged file: the part ${part} is not valid ${encoding.charset.toUpperCase()} text.`);
}

function detectEncoding(head: Buffer): TextEncoding {
  const [a, b, c] = [head[0], head[1], head[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { charset: 'utf-8', bom: true };
  if (a === 0xff && b === 0xfe) return { charset: 'utf-16le', bom: true };
  if (a === 0xfe && b === 0xff) return { charset: 'utf-16be', bom: true };
  if (a === 0x3c && b === 0x00) return { charset: 'utf-16le', bom: false };
  if (a === 0x00 && b === 0x3c) return { charset: 'utf-16be', bom: false };
  return { charset: 'utf-8', bom: false };
}

/** The bytes of `text` in `encoding`: an unedited part encodes back to its original bytes. */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  switch (encoding.charset) {
    case 'utf-8':
      return Buffer.from(encoding.bom ? `\uFEFF${text}` : text, 'utf8');
    case 'utf-16le':
      return Buffer.from(encoding.bom ? `\uFEFF${text}` : text, 'utf16le');
    case 'utf-16be':
      return Buffer.from(encoding.bom ? `\uFEFF${text}` : text, 'utf16le').swap16();
  }
}

/** The longest opener the guard must see whole: `<![CDATA[` and `<!DOCTYPE`. */
const DECLARATION_LOOKAHEAD = 9;
const OPENERS = ['<!DOCTYPE', '<!ENTITY', '<![CDATA[', '<!--'];

/**
 * Refuses `<!DOCTYPE` and `<!ENTITY` wherever the chunks split them, skipping comments and
 * CDATA sections, where the same characters are only text.
 */
export class DeclarationGuard {
  private carry = '';
  private skipUntil: '-->' | ']]>' | null = null;

  constructor(private readonly part: string) {}

  check(text: string, final = false): void {
    const buffer = this.carry + text;
    this.carry = '';
    let at = 0;
    for (;;) {
      if (this.skipUntil) {
        const close = buffer.indexOf(this.skipUntil, at);
        if (close < 0) {
          this.carry = buffer.slice(Math.max(at, buffer.length - this.skipUntil.length + 1));
          return;
        }
        at = close + this.skipUntil.length;
        this.skipUntil = null;
      }
      const open = buffer.indexOf('<!', at);
      if (open < 0) {
        if (buffer.length > at && buffer.endsWith('<')) this.carry = '<';
        return;
      }
      const head = buffer.slice(open, open + DECLARATION_LOOKAHEAD);
      if (!final && OPENERS.some((opener) => opener.length > head.length && opener.startsWith(head.toUpperCase()))) {
        this.carry = buffer.slice(open);
        return;
      }
      if (/^<!(DOCTYPE|ENTITY)/i.test(head)) throw unsafeXmlError(this.part);
      if (head.startsWith('<!--')) {
        this.skipUntil = '-->';
        at = open + 4;
      } else if (head.startsWith('<![CDATA[')) {
        this.skipUntil = ']]>';
        at = open + 9;
      } else {
        at = open + 2;
      }
    }
  }
}
