import type { WorkerPool } from "./worker-pool";

/** More open pools than this at once is probably a notebook cell re-run without close(). */
const MANY_POOLS = 4;

/**
 * Every open worker pool, each with a weak reference to the vector env that owns it: the pool is
 * held strongly (closeAll() must reach it even after its owner was collected), the owner weakly
 * (this registry must not keep a forgotten vector env alive).
 */
const openPools = new Map<WorkerPool, WeakRef<object>>();

/**
 * Ends the workers of a vector env that was garbage-collected while still open. The held value is
 * the pool, which does not reference its owner, so registering does not keep the owner alive.
 */
const finalizer = new FinalizationRegistry<WorkerPool>((pool) => {
  openPools.delete(pool);
  pool.terminateNow("the vector env was garbage-collected without close()");
});

let warned = false;

/**
 * Records `pool` as open and owned by `owner`; warns once per process when many pools are open at
 * the same time (each holds worker threads), pointing at `closeAll()`.
 */
export function trackPool(owner: object, pool: WorkerPool, closeAllName: string): void {
  openPools.set(pool, new WeakRef(owner));
  finalizer.register(owner, pool, pool);
  if (openPools.size > MANY_POOLS && !warned) {
    warned = true;
    console.warn(
      `${openPools.size} worker-thread vector envs are open at the same time, each with its own worker threads. ` +
        `Close the ones you no longer use (envs.close()), or all of them with ${closeAllName} (e.g. before re-running a notebook cell that creates one).`,
    );
  }
}

/** Forgets a pool that was closed. */
export function untrackPool(pool: WorkerPool): void {
  openPools.delete(pool);
  finalizer.unregister(pool);
}

/** The owners of the open pools that are still reachable. */
export function openPoolOwners(): object[] {
  const owners: object[] = [];
  for (const reference of openPools.values()) {
    const owner = reference.deref();
    if (owner !== undefined) owners.push(owner);
  }
  return owners;
}

/** Every open pool, including those whose owner was collected but not yet finalized. */
export function allOpenPools(): WorkerPool[] {
  return [...openPools.keys()];
}
