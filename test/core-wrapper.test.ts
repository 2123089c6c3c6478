import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BaseEnv } from "../src/core/base-env";
import { Discrete } from "../src/core/discrete";
import type { ActionOf, AnyEnv, ObsOf, ResetArgs, ResetResult, StepResult } from "../src/core/env";
import { Wrapper } from "../src/core/wrapper";
import { CartPoleEnv } from "../src/envs/cartpole";

class CoinFlipEnv extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(2);
  readonly actionSpace = new Discrete(2);
  reset(args: ResetArgs = {}): ResetResult<number> {
    this.seedRng(args.seed);
    return { obs: 0, info: {} };
  }
  step(guess: number): StepResult<number> {
    const coin = this.rng.integer(2);
    return { obs: coin, reward: guess === coin ? 1 : 0, terminated: true, truncated: false, info: {} };
  }
}

class NegateReward<E extends AnyEnv> extends Wrapper<E> {
  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    return { ...result, reward: -result.reward };
  }
}

describe("BaseEnv", () => {
  it("seeds its RNG on reset({ seed }) and keeps the stream on unseeded resets", () => {
    const env = new CoinFlipEnv();
    env.reset({ seed: 3 });
    assert.equal(env.step(1).reward, 1); // the documented example
    const flips = (seed: number) => {
      const coin = new CoinFlipEnv();
      coin.reset({ seed });
      return Array.from({ length: 20 }, () => coin.step(0).obs);
    };
    assert.deepEqual(flips(8), flips(8));
    assert.notDeepEqual(flips(8), flips(9));
  });

  it("is its own unwrapped env and prints its class name", () => {
    const env = new CoinFlipEnv();
    assert.equal(env.unwrapped, env);
    assert.equal(String(env), "CoinFlipEnv");
    assert.throws(() => env.render(), /Expected CoinFlipEnv to implement render\(\)/);
  });
});

describe("Wrapper", () => {
  it("forwards spaces, metadata, reset, step and render, and unwraps to the innermost env", () => {
    const inner = new CartPoleEnv();
    const env = new NegateReward(new NegateReward(inner));
    assert.equal(env.observationSpace, inner.observationSpace);
    assert.equal(env.actionSpace, inner.actionSpace);
    assert.equal(env.metadata.renderFps, 50);
    assert.equal(env.unwrapped, inner);
    assert.equal(env.env.env, inner);
    assert.equal(String(env), "NegateReward<NegateReward<CartPoleEnv>>");
    env.reset({ seed: 0 });
    assert.equal(env.step(0).reward, 1);
    assert.equal(new NegateReward(inner).step(0).reward, -1);
    assert.equal(env.render().width, 600);
    assert.equal(env.unwrapped.state.length, 4);
  });

  it("forwards close to the wrapped env", () => {
    let closed = 0;
    class ClosingEnv extends CoinFlipEnv {
      override close(): void {
        closed += 1;
      }
    }
    new Wrapper(new Wrapper(new ClosingEnv())).close();
    assert.equal(closed, 1);
  });

  it("refuses to wrap something that is not an env", () => {
    assert.throws(() => new Wrapper(null as unknown as AnyEnv), /Expected an env to wrap .* got null/);
  });
});
