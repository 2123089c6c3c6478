/**
 * Opens the exported course (built by `npm test` into build/site-quick) in headless Chromium with
 * every network request blocked, the way a learner opens the pages from disk on a train, and checks
 * that what the notebooks show actually shows: images decode, animations are GIFs that load, plotly
 * draws its SVG, tables are there, and no page even tries to reach the network.
 *
 * Needs RL_WORKBOOK_SITE (set by scripts/test.sh) and Chromium (installed by `npm run setup -- --browser`;
 * CHROMIUM_PATH overrides /usr/bin/chromium).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

// The callbacks passed to page.evaluate run in the browser. Rather than add the DOM library to the
// whole program (which would let src/ use browser globals unnoticed), declare the little they touch.
interface PageElement {
  id: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
interface PageImage {
  src: string;
  complete: boolean;
  naturalWidth: number;
}
declare const document: {
  images: ArrayLike<PageImage>;
  body: { innerText: string };
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};

const site = process.env.RL_WORKBOOK_SITE;
const skip = site ? false : "RL_WORKBOOK_SITE is not set: `npm test` builds the quick site and sets it";

interface PageReport {
  externalRequests: string[];
  consoleErrors: string[];
  images: { src: string; loaded: boolean; width: number }[];
  plots: { id: string; drawn: boolean; traces: number }[];
  tables: number;
  text: string;
}

describe("the exported course, opened from disk with the network off", { skip }, () => {
  let browser: Browser;
  let context: BrowserContext;
  const reports = new Map<string, PageReport>();
  const pages = site && fs.existsSync(site) ? fs.readdirSync(site).filter((f) => f.endsWith(".html")) : [];

  before(async () => {
    assert.ok(site && fs.existsSync(path.join(site, "index.html")), `Expected ${site}/index.html, got nothing: did the book build run?`);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.setOffline(true);
    const shots = path.join(site!, "screenshots");
    fs.mkdirSync(shots, { recursive: true });
    for (const file of pages) {
      const page = await context.newPage();
      const externalRequests: string[] = [];
      const consoleErrors: string[] = [];
      // Abort (and record) anything that is not the page's own file or an inline data: URL.
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        externalRequests.push(url);
        return route.abort();
      });
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
      await page.goto(pathToFileURL(path.join(site!, file)).href, { waitUntil: "load" });
      // Plots draw from inline scripts; give them a moment, then wait until every plot div has its SVG.
      await page
        .waitForFunction(() => Array.from(document.querySelectorAll(".rlwb-plot")).every((d) => d.querySelector(".main-svg")), null, {
          timeout: 15_000,
        })
        .catch(() => undefined);
      const report = await page.evaluate(() => ({
        images: Array.from(document.images).map((img) => ({ src: img.src.slice(0, 40), loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth })),
        plots: Array.from(document.querySelectorAll(".rlwb-plot")).map((d) => ({
          id: d.id,
          drawn: d.querySelector(".main-svg") !== null,
          traces: d.querySelectorAll(".scatterlayer .trace, .barlayer .trace, .heatmaplayer .hm").length,
        })),
        tables: document.querySelectorAll(".jp-OutputArea-output table").length,
        text: document.body.innerText,
      }));
      reports.set(file, { ...report, externalRequests, consoleErrors });
      await page.screenshot({ path: path.join(shots, file.replace(/\.html$/, ".png")), fullPage: true });
      await page.close();
    }
  });

  after(async () => {
    await browser?.close();
  });

  it("has an index that links every notebook page, and every link resolves", () => {
    const index = fs.readFileSync(path.join(site!, "index.html"), "utf8");
    const links = [...index.matchAll(/href="([^"]+\.html)"/g)].map((m) => m[1]!);
    assert.ok(links.length >= 1, "Expected the index to link at least one notebook page, got none");
    for (const link of links) assert.ok(fs.existsSync(path.join(site!, link)), `Expected ${link} linked from index.html to exist`);
  });

  it("makes no network request from any page", () => {
    for (const [file, report] of reports) {
      assert.deepEqual(report.externalRequests, [], `${file} tried to load from the network`);
    }
  });

  it("runs every page's scripts without errors", () => {
    for (const [file, report] of reports) assert.deepEqual(report.consoleErrors, [], `${file} logged errors`);
  });

  it("decodes every image and animation on every page", () => {
    for (const [file, report] of reports) {
      for (const image of report.images) assert.ok(image.loaded, `${file}: image ${image.src}… did not load`);
    }
  });

  it("draws every plot with plotly on every page", () => {
    for (const [file, report] of reports) {
      for (const plot of report.plots) {
        assert.ok(plot.drawn, `${file}: plot ${plot.id} was not drawn`);
        assert.ok(plot.traces > 0, `${file}: plot ${plot.id} has no traces`);
      }
    }
  });

  it("shows notebook 00's frame, animation, plot and table", () => {
    const report = reports.get("00-start-here.html");
    assert.ok(report, `Expected 00-start-here.html in ${site}, got ${[...reports.keys()].join(", ")}`);
    const png = report.images.filter((i) => i.src.startsWith("data:image/png"));
    const gif = report.images.filter((i) => i.src.startsWith("data:image/gif"));
    assert.ok(png.length >= 1, "Expected a rendered CartPole frame (PNG image)");
    assert.ok(png.some((i) => i.width >= 300), "Expected the frame to be shown at a readable size");
    assert.ok(gif.length >= 1, "Expected a rollout animation (GIF image)");
    assert.ok(report.plots.length >= 1, "Expected a plotly plot of episode returns");
    assert.ok(report.tables >= 1, "Expected a table of episode returns");
    assert.match(report.text, /backend/i, "Expected the setup check to say which tfjs backend runs");
  });
});
