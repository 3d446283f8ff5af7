import path from 'node:path';
import { addAuditCounts, emptyAuditCounts, type AuditCounts, type DeckAudit } from '../../shared/accessibility-audit';
import type { ItemErrorCode } from '../../shared/error-codes';
import { BatchError } from '../batch/batch-error';
import { discoverInputs } from '../batch/discover-inputs';
import { createDeckInspector } from '../batch/dry-run-pool';
import { loadConfig } from '../config/load-config';
import { auditPhrase, auditTotalsLine, findingLines } from './audit-format';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { printable } from './printable';

/**
 * `altgen audit --input-dir DIR` (or `--input-files …`): the accessibility audit of every deck
 * of a folder, without processing anything and without writing anything. Decks are found as a
 * batch finds them and read as the dry run reads them (opened and audited in the dry run's
 * bounded threads), so a deck the batch refuses is refused here with the same reason.
 *
 * Prints every finding of every deck (slide, shape, what is wrong, what to do) and the totals;
 * `--json` prints the same as one JSON document for scripts. Exit 0 when every deck was read
 * (whatever it found), 1 when some could not be read; the input folder's problems have their
 * batch exit codes (10, 11).
 */

export interface AuditCommandOptions {
  readonly inputDir?: string;
  readonly inputFiles?: readonly string[];
  readonly config?: string;
  readonly json?: boolean;
}

/** One deck in `--json`: audited, or why not. */
export type AuditedDeck =
  | { readonly path: string; readonly status: 'audited'; readonly audit: DeckAudit }
  | { readonly path: string; readonly status: 'failed' | 'skipped'; readonly code: ItemErrorCode; readonly reason: string };

export interface AuditCommandResult {
  readonly input_root: string;
  readonly decks: readonly AuditedDeck[];
  readonly totals: { readonly decks: number; readonly counts: AuditCounts; readonly not_read: number };
}

export async function runAuditCommand(options: AuditCommandOptions, io: CommandIo): Promise<ExitCode> {
  if (!options.inputDir && !(options.inputFiles && options.inputFiles.length > 0)) {
    throw new BatchError('EUSAGE', 'Give --input-dir with a folder of decks, or --input-files with one or more decks.');
  }
  const loaded = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  for (const warning of loaded.warnings) io.stderr.write(`Warning: ${warning}\n`);
  const inputDir = options.inputDir ? path.resolve(io.cwd, options.inputDir) : undefined;
  const inputFiles = options.inputFiles?.map((file) => path.resolve(io.cwd, file));
  // Nothing is written: the "output folder" is the input itself, which leaves nothing out.
  const discovery = await discoverInputs({ inputDir, inputFiles, outputDir: inputDir ?? path.dirname(inputFiles?.[0] ?? io.cwd) });
  for (const warning of discovery.warnings) io.stderr.write(`Warning: ${printable(warning)}\n`);

  const inspector = createDeckInspector(loaded.config, { findings: true });
  let decks: AuditedDeck[];
  try {
    decks = await Promise.all(
      discovery.files.map(async (file): Promise<AuditedDeck> => {
        const { disposition } = file;
        if (disposition.kind !== 'process') return { path: file.path, status: disposition.kind === 'skip' ? 'skipped' : 'failed', code: disposition.code, reason: disposition.reason };
        const outcome = await inspector.inspect(file.path);
        if (!outcome.ok) return { path: file.path, status: outcome.status, code: outcome.code, reason: outcome.message };
        // The thread was asked for findings; an outcome without them would be a bug of the pool.
        if (!outcome.audit) throw new Error(`The audit of ${file.path} came back without its findings.`);
        return { path: file.path, status: 'audited', audit: outcome.audit };
      }),
    );
  } finally {
    await inspector.close();
  }

  const audited = decks.filter((deck): deck is Extract<AuditedDeck, { status: 'audited' }> => deck.status === 'audited');
  const counts = audited.reduce<AuditCounts>((sum, deck) => addAuditCounts(sum, deck.audit.counts), emptyAuditCounts());
  const notRead = decks.filter((deck) => deck.status === 'failed').length;
  const result: AuditCommandResult = { input_root: discovery.inputRoot, decks, totals: { decks: audited.length, counts, not_read: notRead } };

  if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(`${auditReport(result).join('\n')}\n`);
  return notRead > 0 ? EXIT.someFailed : EXIT.ok;
}

/** Every deck with its findings, then the totals. */
export function auditReport(result: AuditCommandResult): string[] {
  const lines: string[] = [];
  for (const deck of result.decks) {
    const name = printable(path.relative(result.input_root, deck.path) || path.basename(deck.path));
    if (deck.status !== 'audited') {
      lines.push(`${deck.status === 'skipped' ? '⏭️ skipped' : '❌ not read'} ${name}: ${printable(deck.reason)}`, '');
      continue;
    }
    lines.push(`${name}: ${auditPhrase(deck.audit.counts)}`);
    for (const finding of deck.audit.findings) lines.push(...findingLines(finding));
    lines.push('');
  }
  lines.push(auditTotalsLine(result.totals.decks, result.totals.counts));
  if (result.totals.not_read > 0) lines.push(`${result.totals.not_read} ${result.totals.not_read === 1 ? 'deck' : 'decks'} could not be read (see above).`);
  return lines;
}
