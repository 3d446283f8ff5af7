import { closeSync, fstatSync, readSync } from 'node:fs';

/**
 * What the package reader needs of an open deck: positioned reads, its size and type, close.
 * A `FileHandle` is one (async: each call a trip through libuv's thread pool), and so is a
 * `SyncFile` (the same calls made synchronously), which a thread that reads one deck at a time
 * uses: there a read costs a tenth of the CPU time and blocks nothing else (dry-run-pool.ts).
 */
export interface DeckFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ readonly bytesRead: number; readonly buffer: Buffer }>;
  stat(): Promise<{ readonly size: number; isFile(): boolean; isDirectory(): boolean }>;
  close(): Promise<void>;
}

/** A descriptor read synchronously, behind DeckFile's promises (errors become rejections). */
export class SyncFile implements DeckFile {
  constructor(private readonly fd: number) {}

  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ readonly bytesRead: number; readonly buffer: Buffer }> {
    try {
      return Promise.resolve({ bytesRead: readSync(this.fd, buffer, offset, length, position), buffer });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  stat(): Promise<{ readonly size: number; isFile(): boolean; isDirectory(): boolean }> {
    try {
      return Promise.resolve(fstatSync(this.fd));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    try {
      closeSync(this.fd);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** `length` bytes at `position`, or an error when the file ends first. */
export async function readAt(handle: DeckFile, position: number, length: number): Promise<Buffer> {
  return readInto(handle, Buffer.allocUnsafe(length), position);
}

/** Fills `buffer` from `position`; a file that ends first is an error (nothing unread is returned). */
export async function readInto(handle: DeckFile, buffer: Buffer, position: number): Promise<Buffer> {
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
  if (bytesRead < buffer.length) throw new Error('unexpected end of file');
  return buffer;
}
