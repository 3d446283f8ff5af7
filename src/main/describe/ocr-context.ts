import type { RecognisedText } from './ocr';
import { boundedText, CONTEXT_LIMITS } from './prompts';

/**
 * The text OCR found in a picture, as context for the vision model (`PromptContext.ocrText`,
 * which the prompt shows as "Text in the picture: …"). Pure.
 *
 * The labels are quoted, so that the model reads them as text found in the picture rather
 * than as instructions, and marked as machine-read: OCR confuses letters, and the model should
 * trust what it sees over them.
 */

const MACHINE_READ_NOTE = ' (read by OCR, may contain errors)';
const MORE = ', …';

/**
 * `"Left ventricle", "Aortic valve" (read by OCR, may contain errors)`, whole labels in reading
 * order within `limit` characters; null when the picture has no text.
 */
export function ocrPromptContext(text: RecognisedText | null, limit: number = CONTEXT_LIMITS.ocrText): string | null {
  const quote = (label: string): string => `"${label.replace(/"/g, "'")}"`;
  const labels = distinctLabels(text?.lines ?? []);
  const room = limit - MACHINE_READ_NOTE.length;
  if (labels[0] === undefined || room < 10) return null;
  const first = quote(labels[0]);
  if (first.length > room) return `${quote(boundedText(labels[0], room - 2))}${MACHINE_READ_NOTE}`;
  let shown = first;
  for (const [index, label] of labels.entries()) {
    if (index === 0) continue;
    const next = `${shown}, ${quote(label)}`;
    const isLast = index === labels.length - 1;
    if (next.length + (isLast ? 0 : MORE.length) > room) {
      shown += MORE;
      break;
    }
    shown = next;
  }
  return `${shown}${MACHINE_READ_NOTE}`;
}

/**
 * The lines as labels: whitespace collapsed, duplicates (ignoring case and punctuation) and
 * lines equal to one of `known` (the slide title, say) left out, reading order kept.
 */
export function distinctLabels(lines: readonly string[], known: readonly (string | null | undefined)[] = []): string[] {
  const seen = new Set(known.map((text) => labelKey(text ?? '')).filter((key) => key !== ''));
  const labels: string[] = [];
  for (const line of lines) {
    const label = line.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
    const key = labelKey(label);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    labels.push(label);
  }
  return labels;
}

/** Case, accents' composition, punctuation and spacing do not make two labels different. */
function labelKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
