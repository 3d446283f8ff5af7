import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_CHECKS, AUDIT_SEVERITY, countFindings } from '../../shared/accessibility-audit';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { openDeck } from '../pptx/deck';
import { PackageError } from '../pptx/package-error';
import { planDeck } from '../processor/plan-deck';
import { auditDeck } from './audit-deck';

/**
 * The accessibility audit against real decks (`ALTGEN_CORPUS_DIR=../shared/corpus/files`): it
 * completes on every deck the reader opens, its findings are well-formed and point at slides
 * of the deck, and it costs a small share of the CPU time the dry run already spends reading
 * and planning each deck (measured: 12 % over the corpus; the bound is generous for busy CI).
 * Test files may import the processor's planDeck: the audit itself does not.
 */

const corpusDir = process.env.ALTGEN_CORPUS_DIR;
const decks = corpusDir ? readdirSync(corpusDir).filter((name) => /\.(pptx|pptm|potx|potm|ppsx|ppsm)$/i.test(name)).sort() : [];

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

describe('the accessibility audit on the corpus', () => {
  it('completes on every readable deck, with well-formed findings, at a small share of the dry run’s CPU time', async (ctx) => {
    if (!corpusDir) ctx.skip('ALTGEN_CORPUS_DIR is not set; ALTGEN_CORPUS_DIR=../shared/corpus/files runs this suite');
    expect(decks.length, `decks in ${corpusDir}`).toBeGreaterThan(50);
    let audited = 0;
    let readingMs = 0;
    let auditMs = 0;
    // Twice: the first pass warms the code up, the second is measured.
    for (const pass of [0, 1]) {
      for (const name of decks) {
        const started = cpuMs();
        let deck;
        try {
          deck = await openDeck(path.join(corpusDir ?? '', name), DEFAULT_CONFIG.limits, { syncReads: true });
        } catch (error) {
          expect(error).toBeInstanceOf(PackageError);
          continue;
        }
        try {
          planDeck(deck, DEFAULT_CONFIG.alt_text);
          const read = cpuMs();
          const { audit } = auditDeck(deck, { altText: DEFAULT_CONFIG.alt_text });
          const done = cpuMs();
          if (pass === 1) {
            audited += 1;
            readingMs += read - started;
            auditMs += done - read;
          }
          expect(audit.counts, name).toEqual(countFindings(audit.findings));
          for (const finding of audit.findings) {
            expect(AUDIT_CHECKS, name).toContain(finding.check);
            expect(finding.severity, name).toBe(AUDIT_SEVERITY[finding.check]);
            expect(finding.count, name).toBeGreaterThan(0);
            expect(finding.message, name).toMatch(/^\S.*\.$/);
            expect(finding.message, name).not.toMatch(/\n/);
            if (finding.slide !== null) expect(finding.slide, name).toBeLessThanOrEqual(deck.slides.length);
            expect(finding.fixed, name).toBe(false);
          }
        } finally {
          await deck.close();
        }
      }
    }
    expect(audited).toBeGreaterThan(50);
    expect(auditMs, `audit ${auditMs.toFixed(0)} ms of CPU against ${readingMs.toFixed(0)} ms to read and plan ${audited} decks`).toBeLessThan(readingMs * 0.5);
  }, 300_000);
});
