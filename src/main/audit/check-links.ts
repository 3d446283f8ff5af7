import type { AuditFinding } from '../../shared/accessibility-audit';
import { finding, quoted } from './finding';
import type { SlideFacts } from './slide-facts';
import type { TextRun } from './text-runs';

/**
 * Hyperlinks whose text does not say where they lead (PowerPoint's "Unclear hyperlink text"):
 * text that is a web address (a screen reader spells it out) or "click here", "here", "more"
 * and the like, in the languages AltGen writes in. A link's text is that of the neighbouring
 * runs of a paragraph that share the link.
 */

const WEB_ADDRESS = /^(?:(?:https?|ftp):\/\/|www\.|mailto:)\S+$|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:\/\S*)?$/i;

const UNCLEAR = new Set([
  'click here', 'click', 'here', 'link', 'this link', 'this', 'more', 'read more', 'learn more', 'see more', 'more info', 'go', 'details', 'website',
  'hier', 'hier klicken', 'klicken sie hier', 'mehr', 'weiter', 'link hier',
  'cliquez ici', 'ici', 'cliquer ici', 'plus', 'en savoir plus', 'lien',
  'haga clic aquí', 'haz clic aquí', 'clic aquí', 'aquí', 'más', 'enlace',
  'clicca qui', 'fai clic qui', 'qui', 'altro',
  'klik hier', 'meer', 'lees meer',
  'clique aqui', 'aqui', 'saiba mais',
]);

export function checkLinks(slide: SlideFacts): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const block of slide.texts) {
    if (block.shape.hidden) continue;
    for (const text of linkTexts(block.runs)) {
      const line = text.replace(/\s+/g, ' ').trim();
      const normalized = line.toLocaleLowerCase().replace(/^[\s"'“”‘’(\[]+|[\s"'“”‘’)\].,:;!?»«>]+$/g, '');
      const address = WEB_ADDRESS.test(line);
      if (!address && !UNCLEAR.has(normalized)) continue;
      findings.push(
        finding('unclear-link', slide, block.shape, {
          message: address
            ? `The link text ${quoted(line)} is a web address, which a screen reader spells out.`
            : `The link text ${quoted(line)} does not say where the link leads.`,
          advice: "Make the link's text say where it leads (the title of the page or document) and keep the address in the link.",
        }),
      );
    }
  }
  return findings;
}

/** The text of each link: consecutive runs of one paragraph with the same link. */
function linkTexts(runs: readonly TextRun[]): string[] {
  const texts: string[] = [];
  let previous: TextRun | null = null;
  for (const run of runs) {
    if (run.link === null) {
      previous = null;
      continue;
    }
    if (previous && previous.link === run.link && previous.paragraph === run.paragraph) texts[texts.length - 1] += run.text;
    else texts.push(run.text);
    previous = run;
  }
  return texts;
}
