// The page in each browser engine, side by side in one run: a fresh page of
// the default dino in chromium, Firefox ESR and WebKitGTK (the browser
// tests' engines, tests/browser_e2e/engines), Train pressed, and at 1, 3
// and 10 s after it what the canvas shows (status().preview: its distance to
// the data, the step of its weights, how far behind training) and the
// training rate; rounds alternate the engines, and the table gives medians.
// Also the share of its rate training keeps while the live view computes,
// the live view's budget, the threads and the
// start-up time. Screenshots of the last round with --shots DIR.
// usage: node bench/engines.mjs [--engines chromium,firefox,webkit] [--rounds 3] [--marks 1,3,10] [--shots DIR]
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const root = path.resolve(new URL("..", import.meta.url).pathname);
const engines = option("--engines", "chromium,firefox,webkit").split(",");
const rounds = Number(option("--rounds", 3));
const marks = option("--marks", "1,3,10").split(",").map(Number);
const shots = option("--shots", null);
if (shots) fs.mkdirSync(shots, { recursive: true });

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), path.join(root, "build-wasm/site"), "--port", "0"],
  { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill());
const base = await new Promise((r) => server.stdout.on("data", (c) => { const m = /http:\/\/[^\s]+\//.exec(String(c)); if (m) r(m[0]); }));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = Object.fromEntries(engines.map((e) => [e, []]));

async function measure(engine, round) {
  const browser = await (await import(`../tests/browser_e2e/engines/${engine}.mjs`)).launch();
  try {
    const page = await browser.newPage();
    const opened = Date.now();
    await page.goto(base);
    await page.waitForFunction(() => window.tinydiff?.status().ready && window.tinydiff.status().preview, null, { timeout: 60000, polling: 50 });
    const ready = (Date.now() - opened) / 1000;
    await page.click("#play");
    const clicked = Date.now();
    const row = { ready, marks: {} };
    for (const mark of marks) {
      await sleep(Math.max(0, mark * 1000 - (Date.now() - clicked)));
      row.marks[mark] = await page.evaluate(() => {
        const s = window.tinydiff.status();
        return { step: s.step, shown: s.preview.step, distance: s.preview.chamfer, perSecond: s.stepsPerSecond,
          threads: s.threads, trainingKept: s.preview.trainingKept, budgetMs: s.preview.budgetMs };
      });
      if (shots && round === rounds - 1) await page.screenshot({ path: path.join(shots, `${engine}-${mark}s.png`) });
    }
    await page.close();
    return row;
  } finally {
    await browser.close();
  }
}

for (let round = 0; round < rounds; round++) {
  for (const engine of engines) results[engine].push(await measure(engine, round));
}

const fmt = (x, digits) => (x === null || x === undefined ? "-" : Number(x).toFixed(digits));
console.log(`# the default dino, ${rounds} rounds alternating engines, medians; distance: the shown samples' (status().preview.chamfer)`);
console.log(`| engine | ready after (s) | ${marks.map((m) => `distance at ${m} s`).join(" | ")} | steps/s at ${marks.at(-1)} s | ` +
  `shown step at ${marks[0]} s | behind at ${marks.at(-1)} s (s) | threads | training kept | budget (ms) |`);
console.log(`| --- | ${["---", ...marks.map(() => "---"), "---", "---", "---", "---", "---", "---"].join(" | ")} |`);
for (const engine of engines) {
  const rows = results[engine];
  const at = (mark, key) => median(rows.map((r) => r.marks[mark][key] ?? NaN));
  const last = marks.at(-1);
  const behind = median(rows.map((r) => (r.marks[last].step - r.marks[last].shown) / r.marks[last].perSecond));
  console.log(`| ${engine} | ${fmt(median(rows.map((r) => r.ready)), 2)} | ${marks.map((m) => fmt(at(m, "distance"), 3)).join(" | ")} | ` +
    `${fmt(at(last, "perSecond"), 0)} | ${fmt(at(marks[0], "shown"), 0)} | ${fmt(behind, 2)} | ${fmt(at(last, "threads"), 0)} | ` +
    `${fmt(at(last, "trainingKept"), 2)} | ${fmt(at(last, "budgetMs"), 0)} |`);
}
server.kill();
