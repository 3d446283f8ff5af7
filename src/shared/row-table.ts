import type { QueueRow } from './ipc-contract';

/**
 * The rows of the current batch, keyed by queue index, as a persistent chunked array.
 *
 * Guaranteed: a table is never mutated. Replacing one row copies only that row's chunk
 * (CHUNK_SIZE slots) and the list of chunk references (length / CHUNK_SIZE slots), so an event
 * on a 10,000-row batch copies about 200 references instead of 10,000, and every other chunk
 * is shared with the previous table. `lineage` is shared by every table derived from the
 * same snapshot, so caches of things that never change within a batch (names) can key on it.
 */
export const CHUNK_SIZE = 128;

export interface RowTable {
  readonly length: number;
  readonly chunks: readonly (readonly QueueRow[])[];
  readonly lineage: object;
}

export const EMPTY_ROW_TABLE: RowTable = { length: 0, chunks: [], lineage: {} };

export function rowTableFrom(rows: readonly QueueRow[]): RowTable {
  const chunks: QueueRow[][] = [];
  for (let start = 0; start < rows.length; start += CHUNK_SIZE) chunks.push(rows.slice(start, start + CHUNK_SIZE));
  return { length: rows.length, chunks, lineage: {} };
}

export function rowAt(table: RowTable, index: number): QueueRow | undefined {
  if (index < 0 || index >= table.length) return undefined;
  return table.chunks[Math.floor(index / CHUNK_SIZE)]?.[index % CHUNK_SIZE];
}

/** The table with row `index` replaced; the same table when the index is out of range or the row is unchanged. */
export function withRow(table: RowTable, index: number, row: QueueRow): RowTable {
  const chunkIndex = Math.floor(index / CHUNK_SIZE);
  const chunk = table.chunks[chunkIndex];
  if (!chunk || index < 0 || index >= table.length || chunk[index % CHUNK_SIZE] === row) return table;
  const nextChunk = chunk.slice();
  nextChunk[index % CHUNK_SIZE] = row;
  const chunks = table.chunks.slice();
  chunks[chunkIndex] = nextChunk;
  return { length: table.length, chunks, lineage: table.lineage };
}

export function forEachRow(table: RowTable, visit: (row: QueueRow, index: number) => void): void {
  let index = 0;
  for (const chunk of table.chunks) {
    for (const row of chunk) visit(row, index++);
  }
}
