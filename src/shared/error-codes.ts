/**
 * Stable error codes of one file: every failed or skipped item carries one of these plus a
 * sentence a faculty member can act on (so does a deck `altgen apply` cannot read). Errors that
 * end a whole command or batch carry a {@link BatchErrorCode} instead.
 */
export const ITEM_ERROR_CODES = [
  'ENOT_FOUND', // the input file does not exist
  'EUNREADABLE', // permission denied or I/O error while reading the input
  'EEMPTY', // zero-byte file
  'ENOT_ZIP', // not a ZIP container (e.g. a text file named .pptx)
  'EENCRYPTED', // password-protected OOXML (CFB container holding EncryptedPackage)
  'ELEGACY_FORMAT', // PowerPoint 97-2003 binary (.ppt/.pps) or CFB without EncryptedPackage
  'ETEMPLATE', // a template/show/add-in, not a deck we rewrite
  'EUNSUPPORTED_TYPE', // a file that is not a PowerPoint deck at all (or not a regular file: a pipe, a device)
  'EOUTSIDE_INPUT', // a link in the input folder that leads outside it: not followed
  'EINVALID_NAME', // a file or folder name that is not valid UTF-8: no path string names it
  'EZIP_LIMITS', // entry count, inflated size or compression ratio beyond the limits
  'ECORRUPT', // the ZIP or its XML is damaged or truncated
  'ENOT_PRESENTATION', // a ZIP without ppt/presentation.xml (e.g. a .docx renamed .pptx)
  'EUNSAFE_XML', // DOCTYPE / entity declarations in an XML part
  'ELOCKED', // another process holds the lock on the input
  'EOPEN_IN_POWERPOINT', // a PowerPoint owner file ~$name.pptx sits beside the deck
  'EINPUT_CHANGING', // the input kept changing while it was processed (another program saving it)
  'ENAME_CLASH', // its copy would take the name of another input's copy (lecture.ppt beside lecture.pptx)
  'ETIMEOUT', // the processor exceeded file_timeout_seconds
  'ECRASHED', // the processor died by a signal or the runner died while it ran
  'EPROCESSOR_FAILED', // the processor exited non-zero for another reason
  'EINPUT_REJECTED', // the processor reported an input problem (not retryable)
  'ENO_OUTPUT', // the processor claimed success but wrote no output
  'EOUTPUT', // the output could not be written or renamed
  'EMODEL_UNAVAILABLE', // the model server could not be reached
  'ESKIPPED_BY_USER', // left out of the run at the user's request; a resume takes it up again
  'EREMOVED_BY_USER', // taken out of the batch at the user's request, until they put it back
] as const;

export type ItemErrorCode = (typeof ITEM_ERROR_CODES)[number];

/**
 * Codes of errors that end a command or a whole batch rather than one file. Each has its own
 * `altgen` exit code in src/main/cli/exit-codes.ts, whose table is keyed by this union: a code
 * added here without an exit code does not compile.
 */
export const BATCH_ERROR_CODES = [
  'EUSAGE', // a command-line or request mistake (options that do not go together, a missing input)
  'ECONFIG', // config.yaml cannot be used (or its processor.command)
  'EINPUT_MISSING', // the input folder does not exist, or went away mid-batch
  'EINPUT_NOT_DIR', // --input-dir names a file
  'EINPUT_UNREADABLE', // the input folder cannot be listed
  'ENO_DECKS', // no PowerPoint files in the inputs
  'EOUTPUT_NOT_WRITABLE', // the output folder cannot be written (or no longer can)
  'ENOSPC', // the disk holding the output folder is full
  'EMANIFEST_CORRUPT', // the batch manifest is damaged
  'EMANIFEST_UNREADABLE', // the batch manifest cannot be read
  'EMANIFEST_WRITE', // the batch manifest cannot be written
  'EBATCH_NOT_FOUND', // no batch with that id, or none with files to resume
  'EBATCH_LOCKED', // the batch is already running in another process
  'ENO_PROCESSOR', // neither processor.command nor the built-in processor is available
  'EBAD_REPORT', // an edited alt-text report that cannot be used (altgen apply, the review)
  'EUNKNOWN_PICTURE', // an edited report names a picture the deck does not have
  'EREVIEW_REFUSED', // a review action that does not apply (edit a decorative picture, undo with nothing applied)
  'EOUTSIDE_OUTPUT', // a manifest names a copy or report outside its output folder (or leads there by a link)
  'ERENDERER_MISSING', // altgen serve: the UI is not built
  'EPORT_IN_USE', // altgen serve: the port is taken
] as const;

export type BatchErrorCode = (typeof BATCH_ERROR_CODES)[number];

/**
 * Skips that a retry must not undo: processing the file would read what the batch's own rules
 * keep out (a link leading outside the input folder, a name no path can carry). The fix is
 * outside AltGen (copy the deck into the folder, rename it), then a new batch.
 */
export const FINAL_SKIP_CODES: ReadonlySet<ItemErrorCode> = new Set<ItemErrorCode>(['EOUTSIDE_INPUT', 'EINVALID_NAME']);

/** Codes of skips that may clear up by themselves, so a resume tries those files again. */
export const TRANSIENT_SKIP_CODES: ReadonlySet<ItemErrorCode> = new Set<ItemErrorCode>([
  'ELOCKED',
  'EOPEN_IN_POWERPOINT',
  'EINPUT_CHANGING',
  'ESKIPPED_BY_USER',
]);
