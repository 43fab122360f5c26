/**
 * Work that takes turns with the rest of the event loop: each take() resolves in a turn of its
 * own (a setImmediate), in the order asked. SQLite answers on the host's one thread, so sixteen
 * searches read from the sockets in one poll would otherwise all run before the loop polls again,
 * and a product GET arriving meanwhile would wait for all sixteen; taking turns, it waits for one.
 */
export class Turns {
  private readonly waiting: Array<() => void> = [];

  take(): Promise<void> {
    return new Promise((resolve) => {
      if (this.waiting.push(resolve) === 1) setImmediate(this.next);
    });
  }

  /** One waiter a turn: an immediate queued while immediates run waits for the next loop. */
  private readonly next = (): void => {
    this.waiting.shift()!();
    if (this.waiting.length > 0) setImmediate(this.next);
  };
}
