import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BatchErrorCode, ItemErrorCode } from '../../shared/error-codes';
import { BATCH_ERROR_CODES, ITEM_ERROR_CODES } from '../../shared/error-codes';
import { BatchNotFoundError } from '../batch/batch-catalog';
import { BatchError } from '../batch/batch-error';
import { DiscoveryError } from '../batch/discover-inputs';
import { ManifestError } from '../batch/manifest-store';
import { ProcessorCommandError } from '../batch/processor-command';
import { PROJECT } from '../batch/testing/altgen-cli';
import { ConfigError } from '../config/load-config';
import { PackageError } from '../pptx/package-error';
import type { EveryThrownCodeHasAnExitCode } from './exit-codes';
import { EXIT, EXIT_FOR_CODE, exitCodeForError } from './exit-codes';

describe('exit codes', () => {
  it('has an exit code for every code of the unions, checked when it compiles', () => {
    expectTypeOf<keyof typeof EXIT_FOR_CODE>().toEqualTypeOf<BatchErrorCode | ItemErrorCode>();
    expectTypeOf<EveryThrownCodeHasAnExitCode>().toEqualTypeOf<true>();
    // @ts-expect-error a batch-level error takes only a code of the union, which the table must map
    void new BatchError('ENEW_PROBLEM', 'A problem without an exit code.');
  });

  it('maps every code to an exit code, and no batch-level code to "internal error"', () => {
    expect(Object.keys(EXIT_FOR_CODE).sort()).toEqual([...BATCH_ERROR_CODES, ...ITEM_ERROR_CODES].sort());
    const exits: ReadonlySet<number> = new Set(Object.values(EXIT));
    for (const code of [...BATCH_ERROR_CODES, ...ITEM_ERROR_CODES]) expect(exits.has(exitCodeForError({ code })), code).toBe(true);
    for (const code of BATCH_ERROR_CODES) expect(exitCodeForError({ code }), code).not.toBe(EXIT.internal);
  });

  it('gives the errors the core throws the exit codes the README documents', () => {
    const cases: readonly (readonly [unknown, number])[] = [
      [new BatchError('EUSAGE', 'x'), 2],
      [new ConfigError('config.yaml, line 2: bad', 'config.yaml'), 2],
      [new ProcessorCommandError('processor.command is empty'), 2],
      [new DiscoveryError('EINPUT_MISSING', 'x'), 10],
      [new DiscoveryError('ENO_DECKS', 'x'), 11],
      [new BatchError('EOUTPUT_NOT_WRITABLE', 'x'), 12],
      [new BatchError('ENOSPC', 'x'), 13],
      [new ManifestError('EMANIFEST_CORRUPT', 'm.json', 'x'), 14],
      [new BatchNotFoundError('x'), 15],
      [new BatchError('EBATCH_LOCKED', 'x'), 16],
      [new BatchError('ENO_PROCESSOR', 'x'), 17],
      [new PackageError('EENCRYPTED', 'x'), 18],
      [Object.assign(new Error('x'), { code: 'ENEVER_HEARD_OF' }), 70],
      [new Error('a bug'), 70],
      [null, 70],
    ];
    for (const [error, exit] of cases) expect(exitCodeForError(error), String((error as { code?: string } | null)?.code)).toBe(exit);
    const readme = readFileSync(`${PROJECT}/README.md`, 'utf8');
    for (const exit of new Set(Object.values(EXIT))) expect(readme, `exit ${exit} in the README`).toMatch(new RegExp(`^\\| ${exit} \\| `, 'm'));
  });
});
