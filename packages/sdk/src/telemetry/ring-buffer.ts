/**
 * A double-ended queue of fixed capacity over one preallocated array: push, shift and unshift
 * are O(1) and allocate nothing, which keeps `record()` cheap and the queue's memory bounded.
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #length = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Adds at the back; false when full. */
  push(item: T): boolean {
    if (this.#length === this.capacity) return false;
    this.#items[(this.#head + this.#length) % this.capacity] = item;
    this.#length += 1;
    return true;
  }

  /** Adds at the front; false when full. */
  unshift(item: T): boolean {
    if (this.#length === this.capacity) return false;
    this.#head = (this.#head - 1 + this.capacity) % this.capacity;
    this.#items[this.#head] = item;
    this.#length += 1;
    return true;
  }

  /** Removes and returns the front item. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined; // let it be collected
    this.#head = (this.#head + 1) % this.capacity;
    this.#length -= 1;
    return item;
  }

  /** The front item, left in place. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** Every item, front to back (a copy). */
  toArray(): T[] {
    const items: T[] = [];
    for (let index = 0; index < this.#length; index += 1) {
      items.push(this.#items[(this.#head + index) % this.capacity] as T);
    }
    return items;
  }
}
