/** Shortest spin worth trying, in µs: below this a spin is skipped. */
const MIN_SPIN_MICROS = 2;
/** While spinning does not pay, try a short spin once every this many waits, to notice when it pays again. */
const PROBE_EVERY = 64;

/**
 * Spin-then-sleep with a spin budget that adapts, like an adaptive mutex. Why spin at all: waking a
 * sleeping thread costs tens of µs (on a 2-core VM we measured 15–60 µs), more than a cheap env's
 * whole step, so a thread that expects an answer within microseconds should watch for it rather
 * than sleep. Why adapt: a spin only pays when the partner thread runs meanwhile. When the machine
 * is busy (other processes) or the partner is slow (the main thread runs a network between steps),
 * spinning burns the very core the partner needs; measured, it then made stepping 5–10× slower
 * than plain sleeping. So a failed spin that follows another failed one halves the budget (down to
 * none), each successful one doubles it (up to the maximum), and with no budget a full-length probe
 * every 64 waits notices when spinning pays again. A single failure is forgiven: an occasional long
 * step (an episode's reset, a garbage collection) says nothing about the machine, and halving on
 * each one kept the budget collapsed under Breakout's Atari chain (measured: half its steps slept).
 */
export class AdaptiveSpin {
  private budgetMicros: number;
  private waitsWithoutSpin = 0;
  /** Whether the last spin ended without `done()`. */
  private failedLast = false;

  /** @param maxMicros the longest spin (0: never spin). */
  constructor(private readonly maxMicros: number) {
    this.budgetMicros = maxMicros;
  }

  /** The current spin budget in µs (what the next wait will spin for at most; below 2: no spin). */
  get budgetMicrosNow(): number {
    return this.budgetMicros;
  }

  /**
   * Spins until `done()` returns true or the budget is spent, and adapts the budget.
   *
   * @returns whether `done()` became true (if not, the caller sleeps).
   * @example
   * const spin = new AdaptiveSpin(50);
   * if (!spin.until(() => Atomics.load(words, 0) !== seen)) Atomics.wait(words, 0, seen);
   */
  until(done: () => boolean): boolean {
    if (this.maxMicros <= 0) return false;
    let budget = this.budgetMicros;
    if (budget < MIN_SPIN_MICROS) {
      if (++this.waitsWithoutSpin < PROBE_EVERY) return false;
      this.waitsWithoutSpin = 0;
      // Probe with the full budget: a partner that fell asleep needs tens of µs to wake and answer,
      // so a short probe would always fail and the budget, once collapsed, would never recover
      // (measured: an idle 2-core machine stuck at 125k CartPole env-steps/s instead of millions).
      // One full spin every PROBE_EVERY waits costs under a µs a wait on average.
      budget = this.maxMicros;
    }
    const start = performance.now();
    const end = start + budget / 1000;
    do {
      if (done()) {
        // Double the budget, and make it at least 4× the wait just seen: after a successful probe
        // the budget must cover the real gap between two commands at once. (Doubling alone from
        // the 2 µs floor, which the next, longer gap defeats, kept a collapsed spin collapsed:
        // measured, a worker with a 5 µs env then slept on every step, 64 µs a step instead of 7.)
        const waitedMicros = (performance.now() - start) * 1000;
        this.budgetMicros = Math.min(this.maxMicros, Math.max(MIN_SPIN_MICROS * 2, this.budgetMicros * 2, waitedMicros * 4));
        this.failedLast = false;
        return true;
      }
    } while (performance.now() < end);
    if (this.failedLast) this.budgetMicros = this.budgetMicros / 2;
    this.failedLast = true;
    return false;
  }
}
