// What every browser test file shares: the site (TINYDIFF_SITE_DIR, default
// build-wasm/site) served by scripts/serve.mjs on a free port, a browser
// engine (TINYDIFF_ENGINE: chromium, the default, driven by Playwright;
// firefox, Firefox ESR driven by Puppeteer over WebDriver BiDi; webkit,
// WebKitGTK's MiniBrowser over classic WebDriver; engines/ has one file
// each), and open(), a page that records console errors and uncaught
// exceptions once the page is ready and showing samples. Every engine's
// page offers the part of Playwright's Page the tests use.
import { before, after } from "node:test";
import path from "node:path";
import { spawn } from "node:child_process";

export const root = path.resolve(new URL("../..", import.meta.url).pathname);
export const engine = process.env.TINYDIFF_ENGINE || "chromium";
const ENGINES = ["chromium", "firefox", "webkit"];
if (!ENGINES.includes(engine)) throw new Error(`TINYDIFF_ENGINE=${engine}: one of ${ENGINES.join(", ")}`);

// A test's skip option where the engine cannot run it: {skip: reason} or {}.
// `unable` maps engines to the reason (docs/reliability.md lists them).
export const onlyWhere = (unable) => (unable[engine] ? { skip: `${engine}: ${unable[engine]}` } : {});

// The console errors and uncaught exceptions a page has recorded so far.
export const errorsOf = (page) => page.consoleErrors();

// Pixels drawn on a canvas (not transparent).
export const inked = (page, id) => page.evaluate((canvasId) => {
  const c = document.getElementById(canvasId);
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) n += data[i] > 0;
  return n;
}, id);

// Registers the file's before/after hooks; returns {root, open}.
// serveArgs: more arguments for scripts/serve.mjs (--no-isolation); site: a
// folder to serve instead.
export const siteDir = process.env.TINYDIFF_SITE_DIR || path.join(root, "build-wasm/site");
export function useSite({ serveArgs = [], site = siteDir } = {}) {
  let server, browser, baseUrl;
  before(async () => {
    server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), site, "--port", "0", ...serveArgs], { stdio: ["ignore", "pipe", "inherit"] });
    baseUrl = await new Promise((resolve, reject) => {
      server.stdout.on("data", (chunk) => {
        const match = /http:\/\/[^\s]+\//.exec(String(chunk));
        if (match) resolve(match[0]);
      });
      server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    browser = await (await import(`./engines/${engine}.mjs`)).launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (server && server.exitCode === null) server.kill();
  });
  // options: viewport, deviceScaleFactor, isMobile, hasTouch (as far as the
  // engine emulates them) and beforeLoad(page), run before the page loads.
  async function open(hash = "", options = {}) {
    const page = await browser.newPage(options);
    await page.goto(baseUrl + hash);
    await page.waitForFunction(() => window.tinydiff && window.tinydiff.status().ready && window.tinydiff.status().preview,
      null, { timeout: 30000 });
    return page;
  }
  // Stops serving the site: the network is gone for pages of this file.
  const stopServer = () => new Promise((resolve) => { server.once("exit", resolve); server.kill(); });
  return { root, open, baseUrl: () => baseUrl, stopServer };
}

// After something that reloads the page (a click, a reload): until the new
// document is ready. A poll that meets the navigation is retried.
export async function waitForReload(page, act, { timeout = 30000 } = {}) {
  await page.evaluate(() => { window.__beforeReload = true; });
  await act();
  const end = Date.now() + timeout;
  for (;;) {
    try {
      if (await page.evaluate(() => !window.__beforeReload && Boolean(window.tinydiff?.status().ready && window.tinydiff.status().preview))) return;
    } catch { /* the document was replaced while asked */ }
    if (Date.now() > end) throw new Error(`the page did not reload and become ready within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The banner shows a message matching `pattern` (up to 10 s); a timeout says what it showed.
export async function waitForBanner(page, pattern) {
  try {
    await page.waitForFunction(
      (source) => !document.getElementById("banner").hidden && new RegExp(source).test(document.getElementById("banner-text").textContent),
      pattern.source, { timeout: 10000 });
  } catch (e) {
    throw new Error(`the banner never said ${pattern}; it says "${await bannerText(page).catch(() => "?")}" (${e.message.split("\n")[0]})`);
  }
}
// The banner's text, or "" while it is hidden.
export const bannerText = (page) => page.evaluate(() => (document.getElementById("banner").hidden ? "" : document.getElementById("banner-text").textContent));

// The newest worker of that script: one just replaced (and its pthread workers) may not be gone yet.
// Playwright's page.workers() only: the other engines' protocols here reach no worker.
export const workerNamed = (page, name) => page.workers().filter((w) => w.url().includes(name)).at(-1);
// The live worker of that script once a replaced one is gone (up to 10 s): closing a lingering old one would test nothing.
export async function liveWorker(page, name) {
  for (let i = 0; i < 100 && page.workers().filter((w) => w.url().includes(name)).length > 1; i++) await page.waitForTimeout(100);
  return workerNamed(page, name);
}

// What the canvas shows over `ms` of training, polled every 100 ms in the
// page: how many steps behind training its weights are, the training rate
// and whether the preview is the fast stand-in.
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

// The main canvas scrolled to the middle of the window (as a user brings it
// into view before drawing), and its box in viewport pixels.
export async function canvasBox(page) {
  await page.evaluate(() => document.getElementById("main-canvas").scrollIntoView({ block: "center" }));
  return page.locator("#main-canvas").boundingBox();
}
