/**
 * A bounded single-consumer queue exposed as an async iterator. The producer never waits (a socket
 * cannot be paused without stalling every channel on it), so when the consumer falls `capacity`
 * items behind, the queue is emptied and one overflow marker (built by `onOverflow`) takes the place
 * of what was dropped: the consumer learns it lost data and resynchronises, instead of memory growing
 * without bound or stale data arriving late.
 */

/** Options of `BoundedQueue`. */
export interface BoundedQueueOptions<T> {
  readonly capacity: number;
  /** Returns the item that stands for `dropped` lost items. */
  readonly onOverflow: (dropped: number) => T;
  /** Called once when the consumer stops iterating (return/break). */
  readonly onClose?: () => void;
}

/** Bounded FIFO with an async iterator; see the file comment for the overflow policy. */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;
  private dropped = 0;

  constructor(private readonly options: BoundedQueueOptions<T>) {}

  /** Items waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Items dropped by overflows so far. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Adds an item; on overflow replaces the backlog with one overflow marker. */
  push(item: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.length >= this.options.capacity) {
      const lost = this.length + 1;
      this.dropped += lost;
      this.items = [this.options.onOverflow(lost)];
      this.head = 0;
      return;
    }
    this.items.push(item);
  }

  /** Ends the iteration after the queued items have been read. */
  end(): void {
    this.closed = true;
    if (this.waiter && this.length === 0) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.length > 0) {
      const value = this.items[this.head] as T;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.items = [];
      this.head = 0;
      this.options.onClose?.();
    }
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
