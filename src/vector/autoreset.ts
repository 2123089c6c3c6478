import type { Env, Info } from "../core/env";
import type { AutoresetMode } from "./types";

/** One sub-env's step as a vector env reports it: the step, plus the final observation on an autoreset. */
export interface AutoresetStep<Obs> {
  readonly obs: Obs;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: Info;
  /** Same-step mode, when the episode ended on this step: the true final observation; else null. */
  readonly finalObs: Obs | null;
  /** Same-step mode, when the episode ended on this step: the final step's info; else null. */
  readonly finalInfo: Info | null;
}

/**
 * One sub-environment of a vector env with its autoreset bookkeeping. The same code runs in
 * `SyncVectorEnv` and inside each worker thread of `AsyncVectorEnv`, so both modes produce
 * bit-identical trajectories for the same seed.
 *
 * Why two modes: see {@link AutoresetMode}. The pitfall both guard against is training on the wrong
 * "next observation": after an autoreset, the observation a vector env returns belongs to the NEW
 * episode, so the transition that ended the old one must use the true final observation.
 *
 * @example
 * const slot = new AutoresetSlot(make("CartPole-v1"), "next-step");
 * slot.reset({ seed: 0 });
 * const step = slot.step(1);   // a normal step; after an ending step the next call resets instead
 */
export class AutoresetSlot<Obs, Action> {
  /** Next-step mode: the previous step ended the episode, so the next `step` resets instead. */
  private pendingReset = false;

  /**
   * @param env the sub-environment (already wrapped as the user asked).
   * @param mode when to reset it after its episode ends.
   */
  constructor(
    readonly env: Env<Obs, Action>,
    readonly mode: AutoresetMode,
  ) {}

  /** Resets the sub-env (an explicit reset of the vector env), clearing any pending autoreset. */
  reset(args?: { seed?: number; options?: Readonly<Record<string, unknown>> }): { obs: Obs; info: Info } {
    this.pendingReset = false;
    return this.env.reset(args);
  }

  /** Steps the sub-env with `action`, or resets it, according to the autoreset mode. */
  step(action: Action): AutoresetStep<Obs> {
    if (this.mode === "next-step") {
      if (this.pendingReset) {
        // The previous step returned the final observation; this one starts the next episode. The
        // action is ignored and nothing is "earned": reward 0, both flags false.
        this.pendingReset = false;
        const { obs, info } = this.env.reset();
        return { obs, reward: 0, terminated: false, truncated: false, info, finalObs: null, finalInfo: null };
      }
      const result = this.env.step(action);
      this.pendingReset = result.terminated || result.truncated;
      return { obs: result.obs, reward: result.reward, terminated: result.terminated, truncated: result.truncated, info: result.info, finalObs: null, finalInfo: null };
    }
    const result = this.env.step(action);
    if (!(result.terminated || result.truncated)) {
      return { obs: result.obs, reward: result.reward, terminated: false, truncated: false, info: result.info, finalObs: null, finalInfo: null };
    }
    // Same-step: report the ending step's reward and flags, but the NEXT episode's first
    // observation; keep the true final observation and info aside for the learner.
    const next = this.env.reset();
    return {
      obs: next.obs,
      reward: result.reward,
      terminated: result.terminated,
      truncated: result.truncated,
      info: next.info,
      finalObs: result.obs,
      finalInfo: result.info,
    };
  }
}
