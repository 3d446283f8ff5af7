/**
 * The order in which a run starts its pending decks: first the decks the user moved to the
 * front (the last one moved first), then the others in their place in the manifest; a deck the
 * model server was merely gone for goes back first in line, one that counted an attempt last.
 *
 * It holds item indices only and never decides whether an item may start: `take` skips every
 * index whose item is no longer pending (started, skipped or removed meanwhile), so an index
 * that is in the queue twice still starts once at a time. The user's front is what the manifest
 * keeps (`metadata.queue_front`), so that a resume starts the same decks first.
 */
export class RunQueue {
  private items: number[];
  private head = 0;
  private userFront: number[];

  /** `pending` in manifest order; `front` as the manifest kept it (items no longer pending are dropped). */
  constructor(pending: readonly number[], front: readonly number[] = []) {
    const waiting = new Set(pending);
    this.userFront = [...new Set(front)].filter((index) => waiting.has(index));
    const first = new Set(this.userFront);
    this.items = [...this.userFront, ...pending.filter((index) => !first.has(index))];
  }

  /** Decks still in line (an estimate: indices no longer pending are counted until they are passed). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The decks the user moved to the front that have not started yet, in the order they will start. */
  front(isPending: (index: number) => boolean): readonly number[] {
    this.userFront = this.userFront.filter(isPending);
    return [...this.userFront];
  }

  /** The next pending index, or null when none is left. */
  take(isPending: (index: number) => boolean): number | null {
    while (this.head < this.items.length) {
      const index = this.items[this.head++];
      if (index !== undefined && isPending(index)) {
        this.userFront = this.userFront.filter((other) => other !== index);
        return index;
      }
    }
    return null;
  }

  /** Back at the end of the line. */
  push(index: number): void {
    this.items.push(index);
  }

  /** Back at the head of the line (the slot before the head was already taken). */
  pushFirst(index: number): void {
    if (this.head > 0) this.items[--this.head] = index;
    else this.items.unshift(index);
  }

  /** The user's "move to front": this deck starts next, before the ones moved earlier. */
  moveToFront(index: number): void {
    const waiting = this.items.indexOf(index, this.head);
    if (waiting >= 0) this.items.splice(waiting, 1);
    this.pushFirst(index);
    this.userFront = [index, ...this.userFront.filter((other) => other !== index)];
  }
}
