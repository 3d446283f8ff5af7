import { assertNever } from '../../../shared/assert-never';
import type { ItemErrorCode } from '../../../shared/error-codes';

/** A short name for each error code, shown before the item's own sentence. */
export function errorCodeWords(code: ItemErrorCode): string {
  switch (code) {
    case 'ENOT_FOUND':
      return 'File not found';
    case 'EUNREADABLE':
      return 'Cannot be read';
    case 'EEMPTY':
      return 'Empty file';
    case 'ENOT_ZIP':
      return 'Not a PowerPoint file';
    case 'EENCRYPTED':
      return 'Password-protected';
    case 'ELEGACY_FORMAT':
      return 'Old PowerPoint 97–2003 format';
    case 'ETEMPLATE':
      return 'Template or show, not a presentation';
    case 'EUNSUPPORTED_TYPE':
      return 'Not a PowerPoint file';
    case 'EOUTSIDE_INPUT':
      return 'Outside the input folder';
    case 'EINVALID_NAME':
      return 'File name cannot be read';
    case 'EZIP_LIMITS':
      return 'Too large or suspicious to open safely';
    case 'ECORRUPT':
      return 'Damaged file';
    case 'ENOT_PRESENTATION':
      return 'Not a presentation';
    case 'EUNSAFE_XML':
      return 'Unsafe content';
    case 'ELOCKED':
      return 'In use by another AltGen run';
    case 'EOPEN_IN_POWERPOINT':
      return 'Open in PowerPoint';
    case 'EINPUT_CHANGING':
      return 'Kept changing while processed';
    case 'ENAME_CLASH':
      return 'Copy name taken';
    case 'ETIMEOUT':
      return 'Took too long';
    case 'ECRASHED':
      return 'Processing crashed';
    case 'EPROCESSOR_FAILED':
      return 'Processing failed';
    case 'EINPUT_REJECTED':
      return 'File rejected';
    case 'ENO_OUTPUT':
      return 'No output written';
    case 'EOUTPUT':
      return 'Output could not be saved';
    case 'EMODEL_UNAVAILABLE':
      return 'Model server unavailable';
    case 'ESKIPPED_BY_USER':
      return 'Skipped at your request';
    case 'EREMOVED_BY_USER':
      return 'Removed at your request';
    default:
      return assertNever(code, 'error code');
  }
}
