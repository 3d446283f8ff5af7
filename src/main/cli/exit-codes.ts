import type { BatchErrorCode, ItemErrorCode } from '../../shared/error-codes';
import type { BatchNotFoundError } from '../batch/batch-catalog';
import type { BatchError } from '../batch/batch-error';
import type { DiscoveryError } from '../batch/discover-inputs';
import type { LockedError } from '../batch/file-locks';
import type { ManifestError } from '../batch/manifest-store';
import type { ProcessorCommandError } from '../batch/processor-command';
import type { ConfigError } from '../config/load-config';
import type { ApplyError } from '../processor/apply-edits';
import type { PackageError } from '../pptx/package-error';
import type { RendererMissingError } from '../server/renderer-folder';
import type { ReviewError } from '../review/review-error';

/**
 * `altgen` exit codes (documented in the README). Batch-level problems each have their own
 * code; problems with single files never stop the batch and show as EXIT.someFailed.
 */
export const EXIT = {
  ok: 0,
  someFailed: 1,
  usage: 2,
  errorThreshold: 3,
  interrupted: 4,
  paused: 5,
  /** Stopped: the model answers, but answer after answer could not be used. */
  modelUnusable: 6,
  inputMissing: 10,
  noDecks: 11,
  outputNotWritable: 12,
  diskFull: 13,
  manifestCorrupt: 14,
  batchNotFound: 15,
  batchLocked: 16,
  noProcessor: 17,
  badDeck: 18,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every code an error of the core carries: a batch-level one, or one a deck or a file fails with. */
export type CoreErrorCode = BatchErrorCode | ItemErrorCode;

/**
 * The exit code for each code, keyed by the closed unions: a code added to either without an
 * exit code here does not compile. Codes that only ever describe one file of a batch (recorded
 * in its manifest, never thrown out of a command) are EXIT.internal: one reaching the top of a
 * command is a bug.
 */
export const EXIT_FOR_CODE: { readonly [C in CoreErrorCode]: ExitCode } = {
  EUSAGE: EXIT.usage,
  ECONFIG: EXIT.usage,
  ERENDERER_MISSING: EXIT.usage,
  EPORT_IN_USE: EXIT.usage,
  EBAD_REPORT: EXIT.usage,
  EUNKNOWN_PICTURE: EXIT.usage,
  EREVIEW_REFUSED: EXIT.usage,
  EOUTSIDE_OUTPUT: EXIT.manifestCorrupt,
  EINPUT_MISSING: EXIT.inputMissing,
  EINPUT_NOT_DIR: EXIT.inputMissing,
  EINPUT_UNREADABLE: EXIT.inputMissing,
  ENO_DECKS: EXIT.noDecks,
  EOUTPUT_NOT_WRITABLE: EXIT.outputNotWritable,
  EMANIFEST_WRITE: EXIT.outputNotWritable,
  ENOSPC: EXIT.diskFull,
  EMANIFEST_CORRUPT: EXIT.manifestCorrupt,
  EMANIFEST_UNREADABLE: EXIT.manifestCorrupt,
  EBATCH_NOT_FOUND: EXIT.batchNotFound,
  EBATCH_LOCKED: EXIT.batchLocked,
  ENO_PROCESSOR: EXIT.noProcessor,
  // The deck given to `altgen apply` cannot be read as a presentation.
  ENOT_FOUND: EXIT.badDeck,
  EUNREADABLE: EXIT.badDeck,
  EEMPTY: EXIT.badDeck,
  ENOT_ZIP: EXIT.badDeck,
  EENCRYPTED: EXIT.badDeck,
  ELEGACY_FORMAT: EXIT.badDeck,
  ETEMPLATE: EXIT.badDeck,
  EUNSUPPORTED_TYPE: EXIT.badDeck,
  EZIP_LIMITS: EXIT.badDeck,
  ECORRUPT: EXIT.badDeck,
  ENOT_PRESENTATION: EXIT.badDeck,
  EUNSAFE_XML: EXIT.badDeck,
  // `altgen apply` could not write its copy.
  EOUTPUT: EXIT.outputNotWritable,
  EOUTSIDE_INPUT: EXIT.internal,
  EINVALID_NAME: EXIT.internal,
  ELOCKED: EXIT.internal,
  EOPEN_IN_POWERPOINT: EXIT.internal,
  EINPUT_CHANGING: EXIT.internal,
  ENAME_CLASH: EXIT.internal,
  ETIMEOUT: EXIT.internal,
  ECRASHED: EXIT.internal,
  EPROCESSOR_FAILED: EXIT.internal,
  EINPUT_REJECTED: EXIT.internal,
  ENO_OUTPUT: EXIT.internal,
  EMODEL_UNAVAILABLE: EXIT.internal,
  ESKIPPED_BY_USER: EXIT.internal,
  EREMOVED_BY_USER: EXIT.internal,
};

type CodeOf<E> = E extends { readonly code: infer C } ? C : never;
/** The codes the error classes that can end a command carry. */
type ThrownCode =
  | CodeOf<BatchError>
  | CodeOf<BatchNotFoundError>
  | CodeOf<ConfigError>
  | CodeOf<DiscoveryError>
  | CodeOf<LockedError>
  | CodeOf<ManifestError>
  | CodeOf<ProcessorCommandError>
  | CodeOf<ApplyError>
  | CodeOf<PackageError>
  | CodeOf<RendererMissingError>
  | CodeOf<ReviewError>;
type Holds<T extends true> = T;
/** Compile-time check: an error class given a code outside the unions (so without an exit code) fails here. */
export type EveryThrownCodeHasAnExitCode = Holds<[Exclude<ThrownCode, CoreErrorCode>] extends [never] ? true : false>;

function isCoreErrorCode(code: unknown): code is CoreErrorCode {
  return typeof code === 'string' && Object.hasOwn(EXIT_FOR_CODE, code);
}

/** Maps the stable `code` of an error thrown by the core to its exit code; anything else is a bug (70). */
export function exitCodeForError(error: unknown): ExitCode {
  const code = (error as { code?: unknown } | null)?.code;
  return isCoreErrorCode(code) ? EXIT_FOR_CODE[code] : EXIT.internal;
}
