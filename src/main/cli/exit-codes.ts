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

/** Maps the stable `code` of an error thrown by the core to its exit code. */
export function exitCodeForError(error: unknown): ExitCode {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'EUSAGE':
    case 'ECONFIG':
    case 'ERENDERER_MISSING':
    case 'EPORT_IN_USE':
      return EXIT.usage;
    case 'EINPUT_MISSING':
    case 'EINPUT_NOT_DIR':
    case 'EINPUT_UNREADABLE':
      return EXIT.inputMissing;
    case 'ENO_DECKS':
      return EXIT.noDecks;
    case 'EOUTPUT_NOT_WRITABLE':
      return EXIT.outputNotWritable;
    case 'ENOSPC':
      return EXIT.diskFull;
    case 'EMANIFEST_CORRUPT':
    case 'EMANIFEST_UNREADABLE':
      return EXIT.manifestCorrupt;
    case 'EBATCH_NOT_FOUND':
      return EXIT.batchNotFound;
    case 'EBATCH_LOCKED':
      return EXIT.batchLocked;
    case 'ENO_PROCESSOR':
      return EXIT.noProcessor;
    case 'EMANIFEST_WRITE':
      return EXIT.outputNotWritable;
    case 'EBAD_REPORT':
    case 'EUNKNOWN_PICTURE':
      return EXIT.usage;
    case 'ENOT_FOUND':
    case 'EUNREADABLE':
    case 'EEMPTY':
    case 'ENOT_ZIP':
    case 'EENCRYPTED':
    case 'ELEGACY_FORMAT':
    case 'EZIP_LIMITS':
    case 'ECORRUPT':
    case 'ENOT_PRESENTATION':
    case 'EUNSAFE_XML':
      return EXIT.badDeck;
    default:
      return EXIT.internal;
  }
}
