/**
 * A FIFO of numbers (intended start times of queued requests) in a
 * growable ring buffer: O(1) push and shift without the array churn of
 * `Array.prototype.shift`.
 */
export class TimeQueue {
  #items = new Float64Array(64);
  #head = 0;
  #size = 0;

  get length(): number {
    return this.#size;
  }

  push(value: number): void {
    if (this.#size === this.#items.length) {
      const bigger = new Float64Array(this.#items.length * 2);
      for (let i = 0; i < this.#size; i++) bigger[i] = this.#items[(this.#head + i) % this.#items.length]!;
      this.#items = bigger;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#size) % this.#items.length] = value;
    this.#size++;
  }

  /** The oldest value; the queue must not be empty. */
  peek(): number {
    return this.#items[this.#head]!;
  }

  /** Removes and returns the oldest value; the queue must not be empty. */
  shift(): number {
    const value = this.#items[this.#head]!;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return value;
  }
}
