import { describe, expect, it } from 'vitest';
import { row, snapshot } from '../../../shared/testing/batch-fixtures';
import { batchViewFrom } from '../../../shared/batch-fold';
import { nowText } from './now-text';

function withRows(rows: ReturnType<typeof row>[], dryRun = false) {
  return batchViewFrom(snapshot(rows.length, { rows, dry_run: dryRun }), 0);
}

describe('nowText', () => {
  it('names the file being processed and the picture it is on', () => {
    const batch = withRows([row(0, { status: 'complete' }), row(1, { status: 'processing', relative_path: 'anatomy.pptx', pictures_done: 2, pictures_total: 5 })]);
    expect(nowText(batch)).toBe('Now: anatomy.pptx — picture 3 of 5');
  });

  it('says a file is starting before its processor counted its pictures, and writing once all are done', () => {
    expect(nowText(withRows([row(0, { status: 'processing', relative_path: 'a.pptx' })]))).toBe('Now: a.pptx — starting');
    expect(nowText(withRows([row(0, { status: 'processing', relative_path: 'a.pptx', pictures_done: 5, pictures_total: 5 })]))).toBe('Now: a.pptx — writing the copy');
  });

  it('names every running file up to four, then how many more, and nothing when none runs', () => {
    const rows = Array.from({ length: 6 }, (_, i) => row(i, { status: 'processing', relative_path: `d${i}.pptx`, pictures_done: 0, pictures_total: 1 }));
    expect(nowText(withRows(rows))).toBe('Now: d0.pptx — picture 1 of 1; d1.pptx — picture 1 of 1; d2.pptx — picture 1 of 1; d3.pptx — picture 1 of 1; and 2 more');
    expect(nowText(withRows([row(0)]))).toBeNull();
  });

  it('says what a dry run is checking', () => {
    expect(nowText(withRows([row(0, { status: 'processing', relative_path: 'a.pptx' })], true))).toBe('Checking: a.pptx');
  });
});
