/**
 * Connections for log streams at one site: each followed log holds an HTTPS
 * connection for as long as it runs, so their number is bounded (like
 * stern's --max-log-requests). A stream waits for a slot before it opens and
 * gives it back as soon as its response ends, so a container that is waiting
 * to restart holds none.
 */
export class Slots {
  private used = 0;
  private readonly queue: (() => void)[] = [];
  /** Whether the limit has ever been reached (for a one-time notice). */
  saturated = false;

  constructor(
    readonly limit: number,
    /** Called the first time a stream has to wait for a slot. */
    private readonly onSaturated?: () => void,
  ) {}

  get free(): number {
    return Math.max(0, this.limit - this.used);
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function once a slot is free (or at once when `signal` aborts, with a no-op). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.used < this.limit) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    if (!this.saturated) {
      this.saturated = true;
      this.onSaturated?.();
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', cancel);
        this.used++;
        resolve(this.releaser());
      };
      const cancel = (): void => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        resolve(() => {});
      };
      this.queue.push(grant);
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.used--;
      this.queue.shift()?.();
    };
  }
}
