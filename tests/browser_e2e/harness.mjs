// What every browser test file shares: the site (TINYDIFF_SITE_DIR, default
// build-wasm/site) served by scripts/serve.mjs on a free port, a browser
// (Debian's chromium driven by Playwright, or with engine "firefox" Debian's
// Firefox ESR driven by Puppeteer over WebDriver BiDi), and open(), a page
// that records console errors and uncaught exceptions once the page is
// ready and showing samples.
import { before, after } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";

export const root = path.resolve(new URL("../..", import.meta.url).pathname);

// Registers the file's before/after hooks; returns {root, open, browser()}.
// serveArgs: more arguments for scripts/serve.mjs (--no-isolation); site: a
// folder to serve instead.
export const siteDir = process.env.TINYDIFF_SITE_DIR || path.join(root, "build-wasm/site");
export function useSite({ serveArgs = [], site = siteDir, engine = "chromium" } = {}) {
  let server, browser, baseUrl, profile;
  before(async () => {
    server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), site, "--port", "0", ...serveArgs], { stdio: ["ignore", "pipe", "inherit"] });
    baseUrl = await new Promise((resolve, reject) => {
      server.stdout.on("data", (chunk) => {
        const match = /http:\/\/[^\s]+\//.exec(String(chunk));
        if (match) resolve(match[0]);
      });
      server.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    if (engine === "firefox") {
      // A profile of its own, deleted after: fresh profiles fill the disk over many runs.
      profile = fs.mkdtempSync(path.join(os.tmpdir(), "tinydiff-firefox-"));
      browser = await puppeteer.launch({ browser: "firefox", executablePath: process.env.FIREFOX_PATH || "/usr/bin/firefox-esr",
        headless: true, userDataDir: profile });
      return;
    }
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) server.kill();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });
  // Firefox: a Puppeteer page, ready and showing samples, that records its errors.
  async function openFirefox(hash, { width = 1280, height = 860 } = {}) {
    const page = await browser.newPage();
    await page.setViewport({ width, height });
    page.errors = [];
    page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
    page.on("pageerror", (e) => page.errors.push(String(e)));
    await page.goto(baseUrl + hash);
    await page.waitForFunction(() => window.tinydiff && window.tinydiff.status().ready && window.tinydiff.status().preview,
      { timeout: 30000 });
    return page;
  }
  // options: Playwright's page options, and beforeLoad(page), run before the page loads.
  async function open(hash = "", { beforeLoad, ...options } = {}) {
    if (engine === "firefox") return openFirefox(hash, options);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, ...options });
    if (beforeLoad) await beforeLoad(page);
    page.errors = [];
    page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
    page.on("pageerror", (e) => page.errors.push(e.message));
    await page.goto(baseUrl + hash);
    await page.waitForFunction(() => window.tinydiff && window.tinydiff.status().ready && window.tinydiff.status().preview,
      null, { timeout: 30000 });
    return page;
  }
  return { root, open, browser: () => browser };
}

// The banner shows a message matching `pattern` (up to 10 s).
export const waitForBanner = (page, pattern) => page.waitForFunction(
  (source) => !document.getElementById("banner").hidden && new RegExp(source).test(document.getElementById("banner-text").textContent),
  pattern.source, { timeout: 10000 });
// The banner's text, or "" while it is hidden.
export const bannerText = (page) => page.evaluate(() => (document.getElementById("banner").hidden ? "" : document.getElementById("banner-text").textContent));

// The newest worker of that script: one just replaced (and its pthread workers) may not be gone yet.
export const workerNamed = (page, name) => page.workers().filter((w) => w.url().includes(name)).at(-1);
// The live worker of that script once a replaced one is gone (up to 10 s): closing a lingering old one would test nothing.
export async function liveWorker(page, name) {
  for (let i = 0; i < 100 && page.workers().filter((w) => w.url().includes(name)).length > 1; i++) await page.waitForTimeout(100);
  return workerNamed(page, name);
}

// What the canvas shows over `ms` of training, polled every 100 ms in the
// page: how many steps behind training its weights are, the training rate
// and whether the preview is the fast stand-in. The same call in Playwright
// and Puppeteer.
export const liveViewLags = (page, ms) => page.evaluate(async (duration) => {
  const out = [];
  const end = performance.now() + duration;
  while (performance.now() < end) {
    const s = window.tinydiff.status();
    out.push({ behind: s.step - s.preview.step, perSecond: s.stepsPerSecond, fast: s.preview.fast });
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}, ms);

// Presses Train and waits until training has taken `steps` steps (as
// status() reports them), however long that takes on this machine (up to
// `timeout` ms); with pause, then presses Train again and waits for the
// live view to draw the final weights with the chosen sampler. Tests that
// judge what training reached wait for steps, never for a fixed time.
export async function trainUntil(page, steps, { pause = true, timeout = 180000 } = {}) {
  await page.click("#play");
  await page.waitForFunction((n) => window.tinydiff.status().step >= n, steps, { timeout, polling: 50 });
  if (!pause) return;
  await page.click("#play");
  await page.waitForFunction(() => {
    const s = window.tinydiff.status();
    return !s.playing && s.preview && s.preview.step === s.step && !s.preview.fast;
  }, null, { timeout: 30000 });
}
