/**
 * Writes a user env module to a temporary folder, the way a learner would for `"module:EnvId"` ids:
 * it registers `envId` as a StepCounter that terminates after 2 steps. Not a test file.
 */
import { after } from "node:test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** @returns the module's path relative to the current directory, starting with "./". */
export function writeUserEnvModule(envId: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rl-workbook-user-env-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "my-envs.js");
  // Compiled tests live in build/test/, the library they test in build/src/.
  const registry = path.join(__dirname, "../../src/core/registry.js");
  const stepCounter = path.join(__dirname, "../../src/envs/step-counter.js");
  fs.writeFileSync(
    file,
    `const { register, registry } = require(${JSON.stringify(registry)});
     const { StepCounterEnv } = require(${JSON.stringify(stepCounter)});
     if (!registry.has(${JSON.stringify(envId)})) register({ id: ${JSON.stringify(envId)}, entryPoint: () => new StepCounterEnv({ terminateAt: 2 }) });`,
  );
  return `./${path.relative(process.cwd(), file)}`;
}
