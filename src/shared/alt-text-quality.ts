/**
 * Is existing alt text real, or does it only look like it (DESIGN.md: weak text counts as
 * missing)? Weak: empty or whitespace, a file name or path, PowerPoint's default shape names
 * ("Picture 3"), Office's auto-generated captions, or shorter than the meaningful minimum.
 */
export type AltTextQuality = 'missing' | 'weak' | 'human';

const FILE_NAME = /^[^\s]*\.(png|jpe?g|gif|bmp|tiff?|svg|emf|wmf|webp|heic)$/i;
const PATH_LIKE = /^([a-z]:\\|\\\\|\/|~\/)|[\\/][^\\/]+\.(png|jpe?g|gif|bmp|tiff?|svg|emf|wmf|webp)$/i;
const DEFAULT_SHAPE_NAME = /^(picture|image|graphic|content placeholder|picture placeholder|grafik|bild|imagen|image \d+|photo|screenshot|screen shot|clip art)\s*\d*$/i;
const OFFICE_AUTO = /(description automatically generated|automatically generated description|generated with (high|medium|low) confidence)/i;

export const DEFAULT_MIN_MEANINGFUL_ALT_CHARS = 8;

export function classifyAltText(
  descr: string | null | undefined,
  minMeaningfulChars: number = DEFAULT_MIN_MEANINGFUL_ALT_CHARS,
): AltTextQuality {
  const text = (descr ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return 'missing';
  if (FILE_NAME.test(text) || PATH_LIKE.test(text) || DEFAULT_SHAPE_NAME.test(text) || OFFICE_AUTO.test(text)) return 'weak';
  if (text.length < minMeaningfulChars) return 'weak';
  return 'human';
}

/** Missing and weak text both need a description written. */
export function needsAltText(descr: string | null | undefined): boolean {
  return classifyAltText(descr) !== 'human';
}
