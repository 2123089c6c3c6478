/** The version of rl-workbook, read from its package.json (so it is never out of date). */
export const VERSION: string = (require("../package.json") as { version: string }).version;
