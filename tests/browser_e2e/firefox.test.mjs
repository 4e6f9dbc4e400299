// The page in Firefox ESR, driven by Puppeteer over WebDriver BiDi: it
// starts (threaded, or rescued by the page's start-up watchdog when
// Firefox's thread pool hangs), trains the dino, keeps the live view within
// a second of training, learns a mouse drawing and animates it, without
// console errors. The rest of the suite runs in chromium (page, views,
// classes, threads); docs/reliability.md lists what runs where.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chamfer } from "./chamfer.mjs";
import { liveViewLags, useSite } from "./harness.mjs";

const { open } = useSite({ engine: "firefox" });
const status = (page) => page.evaluate(() => {
  const s = window.tinydiff.status();
  return { ...s, data: Array.from(s.data), preview: s.preview ? { ...s.preview, points: Array.from(s.preview.points) } : null };
});
const bannerText = (page) => page.evaluate(() => (document.getElementById("banner").hidden ? "" : document.getElementById("banner-text").textContent));
// Trains until `steps` steps, pauses, and waits for the final weights' draw.
async function trainUntil(page, steps) {
  await page.click("#play");
  await page.waitForFunction((n) => window.tinydiff.status().step >= n, { timeout: 180000, polling: 50 }, steps);
  await page.click("#play");
  await page.waitForFunction(() => {
    const s = window.tinydiff.status();
    return !s.playing && s.preview && s.preview.step === s.step && !s.preview.fast;
  }, { timeout: 30000 });
}

test("firefox: the page starts (threaded, or rescued on one thread) and the dino's samples approach the data", async () => {
  const page = await open();
  const start = await status(page);
  assert.equal(start.isolated, true);
  if (start.maxThreads === 1) assert.match(await bannerText(page), /did not start within 15 s/, "one thread only after the start-up watchdog");
  const data = start.data.filter((_, i) => Math.floor(i / 2) % 8 === 0);
  const untrained = chamfer(start.preview.points, data);
  await trainUntil(page, 20000);
  const s = await status(page);
  const trained = chamfer(s.preview.points, data);
  console.log(`# dino in firefox: ${s.step} steps, ${Math.round(s.stepsPerSecond)} steps/s, ${s.maxThreads} threads at most, chamfer ${untrained.toFixed(3)} -> ${trained.toFixed(3)}`);
  assert.ok(trained < 0.5 * untrained && trained < 0.4, `chamfer ${untrained} -> ${trained}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("firefox: a trained preview within a second of Train, never more than a second of training behind", async () => {
  const page = await open();
  await page.click("#play");
  const clicked = Date.now();
  await page.waitForFunction(() => window.tinydiff.status().preview?.step > 0, { timeout: 10000, polling: 20 });
  const firstAfter = (Date.now() - clicked) / 1000;
  await page.waitForFunction((until) => Date.now() >= until, { polling: 50 }, clicked + 2000);
  const lags = await liveViewLags(page, 5000);
  const worst = Math.max(...lags.map((l) => l.behind / l.perSecond));
  console.log(`# firefox live view: first trained preview ${firstAfter.toFixed(2)} s after Train; at most ${worst.toFixed(2)} s of training behind`);
  assert.ok(firstAfter < 3, `the first trained preview came ${firstAfter} s after Train`);
  assert.ok(worst <= 1, `the live view fell ${worst.toFixed(2)} s behind`);
  await page.click("#play");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("firefox: a shape drawn with the mouse is learned, and both animations play with their captions", async () => {
  const page = await open();
  await page.click('[data-preset="custom"]');
  const box = await (await page.$("#main-canvas")).boundingBox();
  const at = (x, y) => [box.x + ((x + 6) / 12) * box.width, box.y + ((6 - y) / 12) * box.height];
  await page.mouse.move(...at(-3, 0));
  await page.mouse.down();
  for (let i = 1; i <= 30; i++) {
    await page.mouse.move(...at(-3 + (6 * i) / 30, 0));
    await page.waitForFunction(() => true); // a frame between moves, as a hand gives
  }
  await page.mouse.up();
  const drawn = await status(page);
  assert.ok(drawn.data.length / 2 > 50, `drew ${drawn.data.length / 2} points`);
  assert.equal(drawn.settings.dataset, "custom");
  await page.waitForFunction(() => window.tinydiff.status().ready, { timeout: 20000 });
  await trainUntil(page, 8000);
  const s = await status(page);
  const distance = chamfer(s.preview.points, s.data);
  assert.ok(distance < 0.3, `the drawing's distance is ${distance}`);
  for (const kind of ["forward", "reverse"]) {
    await page.click(`#anim-${kind}`);
    await page.waitForFunction((k) => window.tinydiff.status().animation?.kind === k, { timeout: 20000 }, kind);
    const caption = await page.$eval("#anim-caption", (el) => el.textContent);
    assert.match(caption, kind === "forward" ? /^Forward: each step keeps/ : /^Reverse: from pure noise, DDPM removes the model's predicted noise/);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});
