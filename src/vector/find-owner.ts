/**
 * Finds the env in a wrapper stack that has `name` (Gymnasium's `get_wrapper_attr`): the outermost
 * wrapper first, then `.env` inward, so `call("elapsedSteps")` reaches the TimeLimit and
 * `call("state")` the bare CartPole. Used by vector envs' `call()` in the main thread and in workers.
 *
 * @returns the object owning `name`, or undefined when no env in the stack has it.
 */
export function findOwner(env: object, name: string): Record<string, unknown> | undefined {
  let current: unknown = env;
  while (current !== null && typeof current === "object") {
    if (name in current) return current as Record<string, unknown>;
    current = (current as { env?: unknown }).env;
  }
  return undefined;
}
