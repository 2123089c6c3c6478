#!/usr/bin/env node
// Regenerates assets/readme/start-here.png, the README's picture: the CartPole frame, the rollout
// animation (its first frame), the plot and the table of notebook 00, screenshotted from the exported
// page in headless Chromium and arranged 2×2. Usage, after `npm run book`:
//   node scripts/readme-picture.js [site/00-start-here.html]
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { pathToFileURL } = require("node:url");
const { chromium } = require("playwright-core");
const { createCanvas, loadImage } = require("canvas");

async function main() {
  const root = path.resolve(__dirname, "..");
  const page = path.resolve(process.argv[2] || path.join(root, "site", "00-start-here.html"));
  if (!fs.existsSync(page)) throw new Error(`Expected the exported notebook at ${page}, got nothing: run npm run book first`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const tab = await browser.newPage({ viewport: { width: 820, height: 900 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector(".rlwb-plot .main-svg");
    const selectors = ['img[src^="data:image/png"]', 'img[src^="data:image/gif"]', ".rlwb-plot", ".jp-OutputArea-output table"];
    const shots = [];
    for (const selector of selectors) {
      const element = await tab.$(selector);
      if (!element) throw new Error(`Expected ${selector} on ${page}, got none`);
      shots.push(await loadImage(await element.screenshot()));
    }
    const pad = 16;
    const cellW = Math.max(...shots.map((s) => s.width));
    const rowH = [Math.max(shots[0].height, shots[1].height), Math.max(shots[2].height, shots[3].height)];
    const canvas = createCanvas(cellW * 2 + pad * 3, rowH[0] + rowH[1] + pad * 3);
    const g = canvas.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    shots.forEach((shot, i) => {
      const x = pad + (i % 2) * (cellW + pad);
      const y = pad + (i < 2 ? 0 : rowH[0] + pad);
      g.drawImage(shot, x, y);
    });
    const out = path.join(root, "assets", "readme", "start-here.png");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, canvas.toBuffer("image/png"));
    console.log(`wrote ${path.relative(root, out)} (${canvas.width}×${canvas.height})`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
