import { describe, expect, it } from 'vitest';
import { BatchError } from '../batch/batch-error';
import { DiscoveryError } from '../batch/discover-inputs';
import { PackageError } from '../pptx/package-error';
import { BridgeFailure, toBridgeError } from './bridge-failure';

describe('toBridgeError', () => {
  it("passes the bridge's own errors and the core's, with a code of the closed unions, through unchanged on one line", () => {
    expect(toBridgeError(new BridgeFailure('EBUSY', 'A batch is already running.'))).toEqual({ code: 'EBUSY', message: 'A batch is already running.' });
    expect(toBridgeError(new DiscoveryError('ENO_DECKS', 'No PowerPoint files\nin /x.'))).toEqual({ code: 'ENO_DECKS', message: 'No PowerPoint files in /x.' });
    expect(toBridgeError(new BatchError('ENOSPC', 'The disk is full.'))).toEqual({ code: 'ENOSPC', message: 'The disk is full.' });
    expect(toBridgeError(new PackageError('EENCRYPTED', 'Password-protected.'))).toEqual({ code: 'EENCRYPTED', message: 'Password-protected.' });
  });

  it('says that anything else is a bug: no code, or a code no union holds (a bare errno from Node)', () => {
    const bare = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' });
    expect(toBridgeError(bare)).toEqual({ code: 'EINTERNAL', message: "Something went wrong inside AltGen: EACCES: permission denied, open '/x'" });
    expect(toBridgeError(new TypeError('x is undefined'))).toEqual({ code: 'EINTERNAL', message: 'Something went wrong inside AltGen: x is undefined' });
    expect(toBridgeError('thrown text')).toEqual({ code: 'EINTERNAL', message: 'Something went wrong inside AltGen: thrown text' });
    expect(toBridgeError(null).code).toBe('EINTERNAL');
  });
});
