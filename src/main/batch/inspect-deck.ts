import { storedAuditCounts, type DeckAudit } from '../../shared/accessibility-audit';
import type { DeckInspection, InputFingerprint } from '../../shared/batch-types';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ItemErrorCode } from '../../shared/error-codes';
import { auditDeck } from '../audit/audit-deck';
import { openDeck } from '../pptx/deck';
import { PackageError } from '../pptx/package-error';
import type { PackageOpenOptions } from '../pptx/package-reader';
import { planDeck } from '../processor/plan-deck';

/**
 * The dry run of one deck: the deck opened as the processor opens it (pptx/deck.ts), planned
 * as the processor plans it (processor/plan-deck.ts), under the same settings, and audited for
 * accessibility as the processor audits it (audit/audit-deck.ts). What
 * it counts as "to describe" is what the run will describe, picture by picture, under every
 * policy and setting; the reasons it refuses a deck are the run's, code and sentence.
 *
 * Guarantees:
 * - The input is only read, and every file it opens is closed before it resolves.
 * - Every problem with the deck becomes one outcome with a stable code and a one-line
 *   message; anything else (a bug) is thrown.
 *
 * This runs in the thread that calls it. A batch inspects decks through `createDeckInspector`
 * (dry-run-pool.ts), which runs this in threads of bounded memory, so that a hostile deck
 * cannot take the runner or the app down with it.
 *
 * Status mapping: the file is `skipped` for ELEGACY_FORMAT (nothing is wrong with it, it just
 * needs File › Save As .pptx first); every other problem is `failed`, since the user must
 * fix or replace the file.
 */

export type InspectionOutcome =
  | {
      readonly ok: true;
      readonly inspection: DeckInspection;
      /** Size and modification time of the deck once read, when the reader took them (the dry-run threads do). */
      readonly fingerprint?: InputFingerprint | null;
      /** Every finding of the accessibility audit, when asked for (`altgen audit`, the app's Accessibility view). */
      readonly audit?: DeckAudit;
    }
  | {
      readonly ok: false;
      readonly status: 'failed' | 'skipped';
      readonly code: ItemErrorCode;
      readonly message: string;
    };

export interface InspectOptions {
  /** Return the audit's findings too, not only its counts. */
  readonly findings?: boolean;
}

export async function inspectDeck(path: string, config: AltgenConfig, options: PackageOpenOptions = {}, inspect: InspectOptions = {}): Promise<InspectionOutcome> {
  try {
    const deck = await openDeck(path, config.limits, options);
    try {
      const { counts } = planDeck(deck, config.alt_text);
      const { audit } = auditDeck(deck, { altText: config.alt_text });
      return {
        ok: true,
        ...(inspect.findings ? { audit } : {}),
        inspection: {
          slides: deck.slides.length,
          pictures: counts.pictures,
          pictures_missing_alt: counts.to_describe + counts.graphics_to_describe,
          entries: deck.entryCount,
          uncompressed_bytes: deck.uncompressedBytes,
          plan: counts,
          audit: storedAuditCounts(audit.counts),
        },
      };
    } finally {
      await deck.close();
    }
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    return refused(error.code, error.message);
  }
}

/** A deck the dry run cannot read, in one line. */
export function refused(code: ItemErrorCode, message: string): InspectionOutcome {
  return { ok: false, status: code === 'ELEGACY_FORMAT' ? 'skipped' : 'failed', code, message: message.replace(/\s+/g, ' ').trim() };
}
