import { describe, expect, it } from 'vitest';
import { row } from './testing/batch-fixtures';
import { CHUNK_SIZE, forEachRow, rowAt, rowTableFrom, withRow } from './row-table';

describe('RowTable', () => {
  const rows = Array.from({ length: 1000 }, (_, index) => row(index));

  it('finds every row by its queue index', () => {
    const table = rowTableFrom(rows);
    expect(table.length).toBe(1000);
    expect(rowAt(table, 0)).toBe(rows[0]);
    expect(rowAt(table, CHUNK_SIZE)).toBe(rows[CHUNK_SIZE]);
    expect(rowAt(table, 999)).toBe(rows[999]);
    expect(rowAt(table, 1000)).toBeUndefined();
    expect(rowAt(table, -1)).toBeUndefined();
  });

  it('replaces one row by copying only its chunk and sharing every other chunk', () => {
    const table = rowTableFrom(rows);
    const changed = row(300, { status: 'complete' });
    const next = withRow(table, 300, changed);
    expect(rowAt(next, 300)).toBe(changed);
    expect(rowAt(table, 300)).toBe(rows[300]);
    const touched = Math.floor(300 / CHUNK_SIZE);
    next.chunks.forEach((chunk, i) => {
      if (i === touched) expect(chunk).not.toBe(table.chunks[i]);
      else expect(chunk).toBe(table.chunks[i]);
    });
    expect(next.lineage).toBe(table.lineage);
  });

  it('returns the same table for an unchanged row or an index out of range', () => {
    const table = rowTableFrom(rows);
    expect(withRow(table, 5, rows[5]!)).toBe(table);
    expect(withRow(table, 1000, row(1000))).toBe(table);
  });

  it('visits the rows in queue order', () => {
    const seen: number[] = [];
    forEachRow(rowTableFrom(rows.slice(0, 300)), (r, index) => {
      expect(r.index).toBe(index);
      seen.push(index);
    });
    expect(seen).toHaveLength(300);
  });
});
