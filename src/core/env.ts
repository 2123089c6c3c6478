import type { RgbFrame } from "./frame";
import type { EnvSpec } from "./registry";
import type { Space } from "./space";
import type { EpisodeStatistics } from "../wrappers/record-episode-statistics";

/**
 * Extra diagnostic information returned with each reset and step (Gymnasium's `info` dict). Never
 * part of the learning signal. Each call returns a fresh object that the caller may extend.
 */
export interface Info {
  [key: string]: unknown;
  /** Set on the last step of an episode by the RecordEpisodeStatistics wrapper. */
  episode?: EpisodeStatistics;
  /**
   * `false` on a step that EpisodicLife turned into an episode end because a life was lost while the
   * game goes on. Whoever reports scores (evaluatePolicy, DQN's episode log) then keeps adding up:
   * a game's score spans several such agent episodes.
   */
  gameOver?: boolean;
}

/** What `reset` accepts (Gymnasium's keyword arguments `seed` and `options`). */
export interface ResetArgs {
  /**
   * Re-seeds the env's RNG before drawing the start state, so the episode (and every later one,
   * until the next seed) is reproducible. Seed once, on the first reset; later resets without a
   * seed continue the same stream.
   */
  readonly seed?: number;
  /** Env-specific reset options, e.g. CartPole's `{ low, high }` bounds of the start state. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What `reset` returns: the first observation of the new episode. */
export interface ResetResult<Obs> {
  readonly obs: Obs;
  readonly info: Info;
}

/**
 * What `step` returns: one transition's outcome, with named fields (never a tuple).
 *
 * `terminated` and `truncated` mean different things to a learner: terminated is the MDP's own end
 * (the pole fell, the game is over: the value of the next state is 0), truncated is an outside cut
 * (a time limit: the episode could have gone on, so a learner should still bootstrap from `obs`).
 * Both may be true on the same step.
 */
export interface StepResult<Obs> {
  /** The observation after the action. On the last step of an episode, the final observation. */
  readonly obs: Obs;
  /** The reward for this transition. */
  readonly reward: number;
  /** The episode reached a terminal state of the MDP. */
  readonly terminated: boolean;
  /** The episode was cut short by something outside the MDP, usually a TimeLimit. */
  readonly truncated: boolean;
  readonly info: Info;
}

/**
 * What {@link Env.stepWithoutObs} returns: `step`'s result, except that `obs` is `undefined` unless
 * the step ended the episode (`terminated` or `truncated`), where the final observation is given.
 */
export interface StepWithoutObsResult<Obs> extends Omit<StepResult<Obs>, "obs"> {
  readonly obs: Obs | undefined;
}

/** Facts about an env that do not change between instances (Gymnasium's `metadata`). */
export interface EnvMetadata {
  /** Frames per second at which rendered frames should be played back (CartPole: 50, 1 / tau). */
  readonly renderFps?: number;
}

/**
 * A reinforcement-learning environment with Gymnasium's semantics, in TypeScript idiom: an agent
 * calls `reset` to start an episode, then `step(action)` until the result is `terminated` or
 * `truncated`, then `reset` again.
 *
 * Implement a new env by extending {@link BaseEnv}; change the behaviour of an existing one by
 * extending {@link Wrapper}.
 *
 * @typeParam Obs the observation type (CartPole: `Float32Array`).
 * @typeParam Action the action type (CartPole: `number`, 0 or 1).
 * @example
 * const env = make("CartPole-v1");
 * const { obs } = env.reset({ seed: 42 });
 * obs;                             //=> Float32Array(4) [-0.022041677, -0.022244507, 0.033815857, 0.036102984]
 * const step = env.step(1);
 * step.reward;                     //=> 1
 * step.terminated || step.truncated; //=> false
 */
export interface Env<Obs, Action> {
  /** The set of valid observations. */
  readonly observationSpace: Space<Obs>;
  /** The set of valid actions; `actionSpace.sample()` is a random policy. */
  readonly actionSpace: Space<Action>;
  /** Facts about the env, such as the frame rate for rendering. */
  readonly metadata: EnvMetadata;
  /** How `make` created the env (id, time limit, reward threshold), or `undefined` if not by make. */
  readonly spec: EnvSpec | undefined;
  /** The innermost env, with every wrapper peeled off (e.g. to read CartPole's `state`). */
  readonly unwrapped: AnyEnv;

  /** Starts a new episode and returns its first observation. */
  reset(args?: ResetArgs): ResetResult<Obs>;
  /** Applies one action and returns what happened. */
  step(action: Action): StepResult<Obs>;
  /**
   * Optional: applies one action exactly as `step` does (same state, RNG draws, reward, episode end
   * and info) but may skip drawing the observation, which is then `undefined`, except on a step that
   * ends the episode. ALE's emulator works this way (`act` advances the game; the screen is fetched
   * only when wanted), and so does EnvPool's frame skip. Frame-skipping wrappers such as MaxAndSkip
   * call it for the frames whose observation they would throw away; an env that draws images
   * (Breakout-v0) provides it, and wrappers pass it down (see {@link Wrapper.stepWithoutObs}).
   */
  stepWithoutObs?(action: Action): StepWithoutObsResult<Obs>;
  /** Draws the current state as an RGB image (Gymnasium's `render_mode="rgb_array"`). */
  render(): RgbFrame;
  /** Releases resources; the env must not be used afterwards. */
  close(): void;
}

/** An env of any observation and action type: where only the env protocol itself matters. */
export type AnyEnv = Env<unknown, unknown>;

/** The observation type of an env type. */
export type ObsOf<E> = E extends Env<infer Obs, unknown> ? Obs : never;

/** The action type of an env type. */
export type ActionOf<E> = E extends Env<unknown, infer Action> ? Action : never;
