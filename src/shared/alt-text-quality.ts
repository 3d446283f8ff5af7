import type { AltTextConfig } from './config-schema';

/**
 * Is existing alt text real, or does it only look like it (DESIGN.md: weak text counts as
 * missing)? Weak: a file name, path or URL (also behind pandoc's `fig:` and wiki `File:`
 * prefixes), PowerPoint's default shape names ("Picture 3"), Office's automatic captions in
 * any of the languages listed below, text matching a configured `weak_patterns` entry, or
 * text shorter than the meaningful minimum. Empty or whitespace is missing.
 *
 * The processor's decision (processor/alt-text-decision.ts) judges existing alt text with
 * this; the dry run is the processor's own plan (processor/plan-deck.ts), so it judges alike.
 */
export type AltTextQuality = 'missing' | 'weak' | 'human';

/** Why text is weak; the report's reason names it. */
export type AltTextWeakness =
  | 'file-name' // a file name, path or URL
  | 'shape-name' // PowerPoint's default shape name, "Picture 3"
  | 'auto-caption' // Office's automatic description
  | 'configured' // matches one of alt_text.weak_patterns
  | 'too-short'; // shorter than alt_text.min_meaningful_alt_chars

export interface AltTextVerdict {
  readonly quality: AltTextQuality;
  /** Set when quality is 'weak'. */
  readonly weakness: AltTextWeakness | null;
}

/** The config keys that decide weakness; absent keys take their defaults. */
export type AltTextRules = Partial<Pick<AltTextConfig, 'min_meaningful_alt_chars' | 'weak_patterns'>>;

export const DEFAULT_MIN_MEANINGFUL_ALT_CHARS = 8;

/** Picture file extensions PowerPoint and the tools that feed it (pandoc, wikis, cameras) name. */
const IMAGE_EXTENSION = '(?:png|apng|jpe?g|jpe|jfif|pjpeg|gif|bmp|dib|tiff?|svgz?|emf|emz|wmf|wmz|webp|heic|heif|avif|ico|pict?|eps)';

/**
 * A whole text that is one file name or path, spaces, accents and brackets allowed
 * ("WD Talent Card pg 2.JPG", "télécharger (5).jpg", "images/heart scan.png"). A sentence
 * break (". ", ", ", ": ") or a web address before the end means a person wrote text that
 * ends by citing a file ("Micrograph of cardiac muscle, from https://…/muscle.png"): kept.
 */
const FILE_NAME = new RegExp(`^(?![\\s\\S]*[.!?;:,]\\s)(?![\\s\\S]*://)[^\\r\\n\\t]{0,250}\\.${IMAGE_EXTENSION}$`, 'iu');
/** Absolute paths: a drive, a UNC share, the root, or `~/`. */
const PATH_LIKE = /^(?:[a-z]:[\\/]|\\\\|\/|~\/)/iu;
/** A bare address is where a picture came from, not what it shows. */
const BARE_URL = /^(?:https?|file|ftp):\/\/\S+$/iu;
/** Names cameras, phones and screenshot tools give files, when the extension was dropped. */
const GENERATED_FILE_NAME = /^(?:(?:img|dsc[fn]?|pxl|mvimg|gopr|dji|vid)[_-]?\d{3,}[\w-]*|screen ?shot[ _-]?\d{4}-\d{2}-\d{2}.*|whatsapp image \d{4}-\d{2}-\d{2}.*)$/iu;

/**
 * Prefixes that put a file name in `descr`: pandoc's figure marker (`fig:`), and the namespace
 * of an image page in MediaWiki exports, in the wikis' languages (File:, Image:, Datei:,
 * Fichier:, Archivo:, Bestand:, Ficheiro:, Файл:, ファイル:, 文件:, 檔案:). Add one here.
 */
const FILE_PREFIX = /^(?:fig|file|image|img|datei|bild|fichier|archivo|imagen|bestand|afbeelding|ficheiro|arquivo|immagine|файл|изображение|ファイル|画像|文件|檔案|图像):/iu;

/**
 * PowerPoint's default names for a picture shape, which some tools copy into `descr`, in
 * Office's languages: en, de (Grafik, Bild), fr/es/it/pt/nl (Image, Imagen, Immagine, Imagem,
 * Afbeelding), ru (Рисунок, as in real Russian decks), pl (Obraz), ja (図), zh (图片, 圖片),
 * ko (그림).
 */
const DEFAULT_SHAPE_NAME =
  /^(?:picture|image|graphic|content placeholder|picture placeholder|photo|screenshot|screen shot|clip art|grafik|bild|imagen|immagine|imagem|afbeelding|рисунок|изображение|obraz|図|图片|圖片|그림)\s*\d*$/iu;

/**
 * The captions Office writes into `descr` by itself, per language, in its three generations:
 * 1. Office 2016's first captions: "<caption>. Description generated with very high / high /
 *    medium / low confidence".
 * 2. Office 2019 to 2021 and Microsoft 365 until 2024: "<caption>. Description automatically
 *    generated".
 * 3. Microsoft 365 since 2024: "<caption>\n\nAI-generated content may be incorrect."
 * Where the strings come from: the wording of each language's Office user interface for these
 * captions, as localized PowerPoint builds write it (written down from those builds' output,
 * not checked against every build here: hence matched lower-cased, with spacing, apostrophes
 * and the confidence words loose). Matched anywhere in the text: the caption follows the
 * description. A new language or build: add its strings here, with a test in
 * alt-text-quality.test.ts.
 */
const OFFICE_AUTO_CAPTIONS: Readonly<Record<string, readonly RegExp[]>> = {
  en: [
    /description generated with (?:very high|high|medium|low|very low) confidence/,
    /description automatically generated/,
    /automatically generated description/,
    /ai-generated content may be incorrect/,
  ],
  // "Beschreibung mit sehr hoher Zuverlässigkeit automatisch generiert"; "Ein Bild, das Text enthält.
  // Automatisch generierte Beschreibung"; "KI-generierte Inhalte können fehlerhaft sein."
  de: [
    /beschreibung mit (?:sehr hoher|hoher|mittlerer|niedriger) zuverlässigkeit automatisch generiert/,
    /automatisch generierte beschreibung/,
    /ki-generierte inhalte können (?:fehlerhaft|falsch|unzutreffend) sein/,
  ],
  // "Description générée avec un niveau de confiance très élevé"; "Une image contenant texte.
  // Description générée automatiquement"; "Le contenu généré par l’IA peut être incorrect."
  fr: [
    /description générée avec un niveau de confiance (?:très élevé|élevé|moyen|faible)/,
    /description générée automatiquement/,
    /contenu généré par (?:l'ia|l'intelligence artificielle) peut être incorrect/,
  ],
  // "Descripción generada con confianza muy alta"; "Imagen que contiene texto. Descripción generada
  // automáticamente"; "El contenido generado por IA puede ser incorrecto."
  es: [
    /descripción generada con (?:confianza (?:muy alta|alta|media|baja)|(?:muy alta|alta|media|baja) confianza)/,
    /descripción generada automáticamente/,
    /contenido generado por (?:la )?ia puede ser incorrecto/,
  ],
  // "Descrizione generata con affidabilità molto elevata"; "Immagine che contiene testo. Descrizione
  // generata automaticamente"; "Il contenuto generato dall'IA potrebbe non essere corretto."
  it: [
    /descrizione generata con (?:un livello di )?affidabilità (?:molto elevata|elevata|media|bassa)/,
    /descrizione generata automaticamente/,
    /contenuto generato (?:dall'ia|dall'intelligenza artificiale) (?:potrebbe non essere corretto|potrebbe essere errato|può essere errato)/,
  ],
  // "Beschrijving is gegenereerd met zeer hoge betrouwbaarheid"; "Afbeelding met tekst. Automatisch
  // gegenereerde beschrijving"; "Door AI gegenereerde inhoud is mogelijk onjuist."
  nl: [
    /beschrijving (?:is )?(?:automatisch )?gegenereerd met (?:zeer hoge|hoge|gemiddelde|lage) betrouwbaarheid/,
    /automatisch gegenereerde beschrijving/,
    /(?:door ai gegenereerde|ai-gegenereerde) inhoud (?:is mogelijk onjuist|kan onjuist zijn)/,
  ],
  // Brazil and Portugal: "Descrição gerada com muito alta confiança"; "Uma imagem contendo texto.
  // Descrição gerada automaticamente"; "O conteúdo gerado por IA pode estar incorreto."
  pt: [
    /descrição gerada com (?:muito alta|alta|média|baixa) confiança/,
    /descrição gerada automaticamente/,
    /conteúdo gerado por ia pode (?:estar|ser) incorreto/,
  ],
  // "Описание создано с очень высокой степенью достоверности"; "Изображение выглядит как текст.
  // Автоматически созданное описание"; "Содержимое, созданное искусственным интеллектом, может быть неверным."
  ru: [
    /описание создано с (?:очень высокой|высокой|средней|низкой) степенью достоверности/,
    /автоматически созданное описание/,
    /(?:содержимое|контент),? созданн(?:ое|ый) (?:искусственным интеллектом|ии),? может быть (?:неверным|неправильным|неточным)/,
  ],
  // "非常に高い信頼度で生成された説明"; "テキスト が含まれている画像 自動的に生成された説明";
  // "AI 生成コンテンツは誤りを含む可能性があります。"
  // Microsoft 365 in Japanese as seen in real exported documents: "AI が生成したコンテンツは間違っている可能性があります。"
  ja: [
    /(?:非常に高い|高い|中程度の|低い) ?信頼度で生成された説明/,
    /自動的に生成された説明/,
    /ai ?生成コンテンツは誤りを含む可能性があります/,
    /ai ?が生成したコンテンツは間違っている可能性があります/,
  ],
  // Simplified and traditional: "图片包含 文本 描述已自动生成" / "一張含有 文字 的圖片 自動產生的描述";
  // "AI 生成的内容可能不正确。" / "AI 產生的內容可能不正確。"
  zh: [
    /描述已自动生成|自动生成的(?:说明|描述)/,
    /描述已自動產生|自動產生的描述|自動生成的描述/,
    /ai ?生成的内容可能不正确/,
    /ai ?(?:產生|生成)的內容可能不正確/,
  ],
};

const AUTO_CAPTION_PATTERNS: readonly RegExp[] = Object.values(OFFICE_AUTO_CAPTIONS).flat();

/** Scripts whose characters each carry about a word: one counts as two towards the minimum. */
const WIDE_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function altTextVerdict(descr: string | null | undefined, rules: AltTextRules = {}): AltTextVerdict {
  const text = (descr ?? '').replace(/\s+/gu, ' ').trim();
  if (text === '') return { quality: 'missing', weakness: null };
  const weakness = weaknessOf(text, rules);
  return weakness ? { quality: 'weak', weakness } : { quality: 'human', weakness: null };
}

export function classifyAltText(descr: string | null | undefined, rules: AltTextRules = {}): AltTextQuality {
  return altTextVerdict(descr, rules).quality;
}

function weaknessOf(text: string, rules: AltTextRules): AltTextWeakness | null {
  if (isFileReference(text) || isPrefixedFileReference(text)) return 'file-name';
  if (DEFAULT_SHAPE_NAME.test(text)) return 'shape-name';
  const comparable = text.normalize('NFC').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/gu, "'");
  if (AUTO_CAPTION_PATTERNS.some((pattern) => pattern.test(comparable))) return 'auto-caption';
  if ((rules.weak_patterns ?? []).some((pattern) => compiled(pattern)?.test(text))) return 'configured';
  if (meaningfulLength(text) < (rules.min_meaningful_alt_chars ?? DEFAULT_MIN_MEANINGFUL_ALT_CHARS)) return 'too-short';
  return null;
}

function isFileReference(text: string): boolean {
  return FILE_NAME.test(text) || PATH_LIKE.test(text) || BARE_URL.test(text) || GENERATED_FILE_NAME.test(text);
}

/** `fig:media/image1.png`, `File:Heart diagram.svg`, `File:Heart_diagram` (a page name). */
function isPrefixedFileReference(text: string): boolean {
  const prefix = FILE_PREFIX.exec(text);
  if (!prefix) return false;
  const rest = text.slice(prefix[0].length);
  // Right after the colon with no space: a page or file identifier, as pandoc and wikis write it.
  if (rest === '' || /^\S+$/u.test(rest)) return true;
  return isFileReference(rest.trim());
}

function meaningfulLength(text: string): number {
  let length = 0;
  for (const character of text) length += WIDE_CHARACTER.test(character) ? 2 : 1;
  return length;
}

/** Config patterns compiled once; one that does not compile matches nothing. */
const compiledPatterns = new Map<string, RegExp | null>();

function compiled(pattern: string): RegExp | null {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'i');
    } catch {
      regex = null;
    }
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}
