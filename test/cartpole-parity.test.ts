import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { make } from "../src/core/make";
import "../src/envs";

/** One step recorded from Gymnasium 1.3.0: the action taken and what followed it. */
interface ReferenceStep {
  action: number;
  state: number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

interface ReferenceCase {
  start: number[];
  policy: string;
  steps: ReferenceStep[];
}

// Compiled to build/test/, so the repository root is two levels up; the reference data is a fixture
// copied from the project's reference set (see test/fixtures/README.md).
const REPO_ROOT = resolve(__dirname, "..", "..");
const REFERENCE_PATH = resolve(REPO_ROOT, "test", "fixtures", "cartpole-v1-gymnasium-1.3.0.json");

function loadReference(): ReferenceCase[] {
  assert.ok(
    existsSync(REFERENCE_PATH),
    `Expected the Gymnasium reference trajectories at ${REFERENCE_PATH}, got no file there. ` +
      "The parity test cannot run without them (they are produced by real Gymnasium 1.3.0).",
  );
  const parsed = JSON.parse(readFileSync(REFERENCE_PATH, "utf8")) as { cases?: ReferenceCase[] };
  assert.ok(Array.isArray(parsed.cases) && parsed.cases.length > 0, `Expected a non-empty "cases" array in ${REFERENCE_PATH}`);
  return parsed.cases;
}

describe("CartPole-v1 matches Gymnasium 1.3.0 step by step", () => {
  it("finds the reference trajectories (12 cases, three of them reaching the 500-step limit)", () => {
    const cases = loadReference();
    assert.equal(cases.length, 12);
    const truncatedCases = cases.filter((c) => c.steps[c.steps.length - 1]!.truncated);
    assert.equal(truncatedCases.length, 3);
  });

  it("reproduces every step of every reference trajectory from the reference state", () => {
    const cases = loadReference();
    const env = make("CartPole-v1");
    let stepsChecked = 0;
    cases.forEach((reference, caseIndex) => {
      env.reset({ seed: caseIndex });
      let previous = reference.start;
      reference.steps.forEach((expected, stepIndex) => {
        const where = `case ${caseIndex} (${reference.policy}), step ${stepIndex + 1}`;
        // Start each step from Gymnasium's own float64 state so ulp-level differences in sin/cos
        // cannot accumulate (a free run diverges after a few hundred steps; the system is chaotic).
        env.unwrapped.state = previous;
        const result = env.step(expected.action);
        const state = env.unwrapped.state;
        for (let i = 0; i < 4; i++) {
          const error = Math.abs(state[i]! - expected.state[i]!);
          assert.ok(error <= 1e-12, `${where}: state[${i}] is ${state[i]}, expected ${expected.state[i]} (|error| ${error})`);
          assert.equal(result.obs[i], expected.obs[i], `${where}: obs[${i}]`);
        }
        assert.ok(result.obs instanceof Float32Array, `${where}: obs should be a Float32Array`);
        assert.equal(result.reward, expected.reward, `${where}: reward`);
        assert.equal(result.terminated, expected.terminated, `${where}: terminated`);
        assert.equal(result.truncated, expected.truncated, `${where}: truncated`);
        previous = expected.state;
        stepsChecked += 1;
      });
    });
    assert.equal(stepsChecked, cases.reduce((total, c) => total + c.steps.length, 0));
  });
});
