/**
 * Files shipped with the package in `assets/`: trained checkpoints and recorded results that the
 * notebooks load, so a reader can see a competent agent without waiting for training.
 */
import * as fs from "node:fs";
import * as path from "node:path";

let root: string | undefined;

/** The package's root folder: the nearest folder above this file with rl-workbook's package.json. */
function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "rl-workbook") return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`Expected rl-workbook's package.json in a folder above ${__dirname}, found none`);
  }
}

/**
 * The absolute path of a shipped asset, checked to exist.
 *
 * @param relative a path inside `assets/`, e.g. `"breakout-compact-dqn/best_model"`.
 * @throws Error naming the path and what `assets/` holds, when it does not exist.
 * @example
 * const agent = await DQN.load(assetPath("breakout-compact-dqn/best_model"));
 */
export function assetPath(relative: string): string {
  if (typeof relative !== "string" || relative === "" || path.isAbsolute(relative) || relative.split(/[\\/]/).includes("..")) {
    throw new RangeError(`Expected a relative path inside assets/, got ${JSON.stringify(relative)}`);
  }
  const assets = path.join(packageRoot(), "assets");
  const full = path.join(assets, relative);
  if (!fs.existsSync(full)) {
    const available = fs.existsSync(assets) ? fs.readdirSync(assets).join(", ") : "nothing (no assets/ folder)";
    throw new Error(`Expected asset ${JSON.stringify(relative)} at ${full}, but it does not exist; assets/ holds ${available}`);
  }
  return full;
}
