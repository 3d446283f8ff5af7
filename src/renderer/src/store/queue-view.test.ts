import { describe, expect, it } from 'vitest';
import { row } from '../../../shared/testing/batch-fixtures';
import { DEFAULT_SORT, nextSort, queueOrder } from './queue-view';
import { rowTableFrom, withRow } from '../../../shared/row-table';

const rows = [
  row(0, { relative_path: 'Week 10.pptx', status: 'complete', duration_ms: 3000 }),
  row(1, { relative_path: 'week 2.pptx', status: 'failed', duration_ms: 1000 }),
  row(2, { relative_path: 'Anatomy/intro.pptx', status: 'pending' }),
  row(3, { relative_path: 'old.ppt', status: 'skipped', duration_ms: 5 }),
  row(4, { relative_path: 'Week 1.pptx', status: 'processing' }),
  row(5, { relative_path: 'zeta.pptx', status: 'complete', duration_ms: 2000 }),
];

describe('queueOrder', () => {
  const table = rowTableFrom(rows);

  it('needs no list for every row in queue order', () => {
    expect(queueOrder(table, 'all', DEFAULT_SORT)).toBeNull();
  });

  it('filters by status, keeping queue order', () => {
    expect(queueOrder(table, 'complete', DEFAULT_SORT)).toEqual([0, 5]);
    expect(queueOrder(table, 'failed', DEFAULT_SORT)).toEqual([1]);
  });

  it('sorts by name the way people read numbers, either way', () => {
    expect(queueOrder(table, 'all', { key: 'name', direction: 'ascending' })).toEqual([2, 3, 4, 1, 0, 5]);
    expect(queueOrder(table, 'all', { key: 'name', direction: 'descending' })).toEqual([5, 0, 1, 4, 3, 2]);
  });

  it('sorts by status with problems first', () => {
    expect(queueOrder(table, 'all', { key: 'status', direction: 'ascending' })).toEqual([1, 4, 2, 3, 0, 5]);
  });

  it('sorts by time with rows that have no time last in both directions', () => {
    expect(queueOrder(table, 'all', { key: 'time', direction: 'ascending' })).toEqual([3, 1, 5, 0, 2, 4]);
    expect(queueOrder(table, 'all', { key: 'time', direction: 'descending' })).toEqual([0, 5, 1, 3, 2, 4]);
  });

  it('follows status changes of later tables of the same batch', () => {
    const next = withRow(table, 2, { ...rows[2]!, status: 'complete' });
    expect(queueOrder(next, 'complete', { key: 'name', direction: 'ascending' })).toEqual([2, 0, 5]);
  });

  it('orders 10,000 rows by name and filters them in well under a frame budget per call after the first', () => {
    const big = rowTableFrom(Array.from({ length: 10_000 }, (_, index) => row(index, { status: index % 3 === 0 ? 'failed' : 'complete' })));
    queueOrder(big, 'failed', { key: 'name', direction: 'ascending' });
    // CPU time, not wall time: CI's two cores may be busy with other suites.
    const started = process.cpuUsage();
    const order = queueOrder(big, 'failed', { key: 'name', direction: 'ascending' });
    const spent = process.cpuUsage(started);
    expect((spent.user + spent.system) / 1000).toBeLessThan(50);
    expect(order).toHaveLength(3334);
  });
});

describe('nextSort', () => {
  it('flips the direction of the same column and starts another column ascending', () => {
    expect(nextSort({ key: 'name', direction: 'ascending' }, 'name')).toEqual({ key: 'name', direction: 'descending' });
    expect(nextSort({ key: 'name', direction: 'descending' }, 'time')).toEqual({ key: 'time', direction: 'ascending' });
  });
});
