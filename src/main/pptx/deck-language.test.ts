import { describe, expect, it } from 'vitest';
import { deckLanguage, languageWeights } from './deck-language';

const slide = (...runs: Array<[lang: string | null, text: string]>) =>
  `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p>${runs
    .map(([lang, text]) => `<a:r><a:rPr${lang ? ` lang="${lang}"` : ''} dirty="0"/><a:t>${text}</a:t></a:r>`)
    .join('')}<a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;

const presentation = (lang: string) => `<p:presentation><p:defaultTextStyle><a:lvl1pPr><a:defRPr lang="${lang}"/></a:lvl1pPr></p:defaultTextStyle></p:presentation>`;

describe('deckLanguage', () => {
  it('picks the language most of the slide text is marked with, by length', () => {
    const slides = [slide(['de-DE', 'Die Anatomie des Herzens'], ['en-US', 'Heart']), slide(['de-DE', 'Der linke Ventrikel'])];
    expect(deckLanguage('auto', slides, presentation('en-US'))).toBe('de-DE');
    expect(languageWeights(slides).get('en-US')).toBe(5);
  });

  it('ignores empty runs, end-of-paragraph marks and "no language" tags', () => {
    const slides = [slide(['fr-FR', '   '], ['x-none', 'Cœur et poumons, vue antérieure'], [null, 'no tag at all'])];
    expect(deckLanguage('auto', slides, presentation('es-ES'))).toBe('es-ES');
  });

  it('falls back to the default text style, then to English', () => {
    expect(deckLanguage('auto', [slide()], presentation('nl-NL'))).toBe('nl-NL');
    expect(deckLanguage('auto', [], '<p:presentation/>')).toBe('en');
  });

  it('uses a configured language as given, whatever the deck says', () => {
    expect(deckLanguage('fr-CA', [slide(['de-DE', 'Herz'])], presentation('de-DE'))).toBe('fr-CA');
  });

  it('takes Arabic or Hebrew text marked with a Latin-script language for its altLang, else for its script', () => {
    const run = (attributes: string, text: string) => `<a:r><a:rPr ${attributes} dirty="0"><a:cs typeface="Arial"/></a:rPr><a:t>${text}</a:t></a:r>`;
    const arabic = `<p:sld><a:p>${run('lang="en-US" altLang="ar-EG"', 'معدل الوفيات حسب الفئة العمرية')}${run('lang="en-US"', 'CT scan')}</a:p></p:sld>`;
    expect(deckLanguage('auto', [arabic], presentation('en-US'))).toBe('ar-EG');
    const hebrew = `<p:sld><a:p>${run('lang="en-US" altLang="en-US"', 'תמותה לפי קבוצת גיל')}</a:p></p:sld>`;
    expect(deckLanguage('auto', [hebrew], presentation('en-US'))).toBe('he');
    // Marked with a language of the script, it is kept; Latin text in an Arabic-marked run too.
    expect(deckLanguage('auto', [slide(['fa-IR', 'مرگ و میر بر اساس گروه سنی'])], presentation('en-US'))).toBe('fa-IR');
    expect(deckLanguage('auto', [slide(['ar-SA', 'Mortality by age group'])], presentation('en-US'))).toBe('ar-SA');
    // A few Arabic words among many English ones do not make the run Arabic.
    expect(languageWeights([slide(['en-GB', 'The word قلب means heart in Arabic'])])).toEqual(new Map([['en-GB', 34]]));
  });

  it('reads runs whatever their namespace prefix (ISO-Strict files, other writers)', () => {
    const strict = '<x:r><x:rPr lang="it-IT"/><x:t>Il cuore</x:t></x:r>';
    expect(deckLanguage('auto', [strict], '')).toBe('it-IT');
  });
});
