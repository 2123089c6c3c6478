import * as path from "node:path";
import { assertKnownOptions } from "../core/options";
import { BaseCallback, type CallbackContext, type HookResult } from "./callbacks";

/** Options of {@link CheckpointCallback}. */
export interface CheckpointCallbackOptions {
  /** Save every this many env steps (summed over sub-envs; SB3's `save_freq` counts vector steps). */
  readonly saveFreq: number;
  /** Directory the checkpoints go in (created if needed). */
  readonly savePath: string;
  /** Name of each checkpoint: `<namePrefix>_<numTimesteps>_steps`. Default "rl_model" (SB3's). */
  readonly namePrefix?: string;
}

/**
 * Saves the agent every `saveFreq` env steps (SB3's `CheckpointCallback`), each save in its own
 * checkpoint directory `<savePath>/<namePrefix>_<steps>_steps`, loadable with `DQN.load`.
 *
 * @example
 * const checkpoints = new CheckpointCallback({ saveFreq: 10_000, savePath: "runs/cartpole" });
 * await agent.learn({ totalSteps: 30_000, callbacks: [checkpoints] });
 * checkpoints.savedPaths;  //=> ["runs/cartpole/rl_model_10000_steps", "runs/cartpole/rl_model_20000_steps", "runs/cartpole/rl_model_30000_steps"]
 */
export class CheckpointCallback extends BaseCallback {
  /** The checkpoint directories written so far, in order. */
  readonly savedPaths: string[] = [];
  readonly saveFreq: number;
  readonly savePath: string;
  readonly namePrefix: string;
  private lastSaveIndex = 0;

  constructor(options: CheckpointCallbackOptions) {
    super();
    assertKnownOptions(options, ["saveFreq", "savePath", "namePrefix"], "CheckpointCallback");
    const { saveFreq, savePath, namePrefix = "rl_model" } = options;
    if (!(Number.isSafeInteger(saveFreq) && saveFreq > 0)) throw new RangeError(`Expected saveFreq to be a positive integer (env steps), got ${String(saveFreq)}`);
    if (typeof savePath !== "string" || savePath === "") throw new TypeError(`Expected savePath to be a non-empty path, got ${JSON.stringify(savePath)}`);
    if (typeof namePrefix !== "string" || namePrefix === "") throw new TypeError(`Expected namePrefix to be a non-empty string, got ${JSON.stringify(namePrefix)}`);
    this.saveFreq = saveFreq;
    this.savePath = savePath;
    this.namePrefix = namePrefix;
  }

  override onTrainingStart(ctx: CallbackContext): void {
    this.lastSaveIndex = Math.floor(ctx.numTimesteps / this.saveFreq);
  }

  override onStep(ctx: CallbackContext): HookResult {
    const index = Math.floor(ctx.numTimesteps / this.saveFreq);
    if (index <= this.lastSaveIndex) return true;
    this.lastSaveIndex = index;
    const dir = path.join(this.savePath, `${this.namePrefix}_${ctx.numTimesteps}_steps`);
    return ctx.agent.save(dir).then(() => {
      this.savedPaths.push(dir);
      return true;
    });
  }
}
