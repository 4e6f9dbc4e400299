import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
const server = spawn(process.execPath, ["../scripts/serve.mjs", "../build-wasm/site", "--port", "8765"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
for (const [name, viewport] of [["desk", { width: 1280, height: 1000 }], ["phone", { width: 390, height: 1600 }]]) {
  const page = await browser.newPage({ viewport });
  page.on("console", (m) => { if (m.type() === "error") console.log("console error:", m.text()); });
  await page.goto("http://127.0.0.1:8765/");
  await page.waitForFunction(() => window.tinydiff && window.tinydiff.status().ready, null, { timeout: 30000 });
  await page.click('[data-preset="dino_in_circle"]');
  await page.waitForFunction(() => window.tinydiff.status().modelClasses === 2 && window.tinydiff.status().ready, null, { timeout: 30000 });
  await page.click("#play");
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `/tmp/shots/${name}-3s.png` });
  await page.waitForTimeout(9000);
  await page.click("#play");
  await page.selectOption("#sample-class", "0");
  await page.locator("#guidance").fill("3");
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `/tmp/shots/${name}-class0.png`, fullPage: name === "phone" });
  await page.click("#anim-reverse");
  await page.waitForTimeout(2500);
  await page.locator("#anim-canvas").screenshot({ path: `/tmp/shots/${name}-reverse.png` });
  console.log(name, JSON.stringify((({ step, stepsPerSecond }) => ({ step, stepsPerSecond }))(await page.evaluate(() => window.tinydiff.status()))));
}
await browser.close();
server.kill();
