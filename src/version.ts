import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Finds rl-workbook's package.json by walking up from this file: compiled code lives at different
 * depths (dist/version.js for the library, build/src/version.js for tests and benchmarks).
 */
function readPackageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "rl-workbook" && typeof pkg.version === "string") return pkg.version;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Expected rl-workbook's package.json above ${__dirname}, got none`);
    }
  }
}

/** The version of rl-workbook, read from its package.json (so it is never out of date). */
export const VERSION: string = readPackageVersion();
