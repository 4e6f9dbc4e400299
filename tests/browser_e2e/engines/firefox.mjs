// Debian's Firefox ESR, driven by Puppeteer over WebDriver BiDi. Its pages
// are ScriptedPages: Puppeteer gives evaluation, real clicks, taps, the
// mouse, screenshots and the console; the rest is built on those.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";
import { ScriptedPage } from "./scripted_page.mjs";

export const name = "firefox";

class FirefoxPage extends ScriptedPage {
  constructor(page) {
    super();
    this.page = page;
    this.errors = [];
    page.on("console", (m) => { if (m.type() === "error") this.errors.push(m.text()); });
    page.on("pageerror", (e) => this.errors.push(String(e)));
  }
  get mouse() { return this.page.mouse; }
  get keyboard() { return this.page.keyboard; }
  // One finger from `from` to `to` ({x, y}) in small moves (Puppeteer's touchscreen).
  async swipe(from, to, moves = 12) {
    const t = this.page.touchscreen;
    await t.touchStart(from.x, from.y);
    for (let k = 1; k <= moves; k++) await t.touchMove(from.x + ((to.x - from.x) * k) / moves, from.y + ((to.y - from.y) * k) / moves);
    await t.touchEnd();
  }
  evaluate(fn, arg) { return this.page.evaluate(fn, arg); }
  click(selector) { return this.page.click(selector); }
  tap(selector) { return this.page.tap(selector); }
  screenshot(options) { return this.page.screenshot(options); }
  goto(url) { return this.page.goto(url); }
  reload() { return this.page.reload(); }
  addInitScript(fn) { return this.page.evaluateOnNewDocument(fn); }
  close() { return this.page.close(); }
  async consoleErrors() { return this.errors; }
}

export async function launch() {
  // A profile of its own, deleted after: fresh profiles fill the disk over many runs.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "tinydiff-firefox-"));
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: process.env.FIREFOX_PATH || "/usr/bin/firefox-esr",
    headless: true, userDataDir: profile });
  return {
    // options: viewport {width, height}, deviceScaleFactor, isMobile, hasTouch (Puppeteer's viewport);
    // beforeLoad(page), run before the page loads (its addInitScript is Puppeteer's evaluateOnNewDocument).
    async newPage({ viewport = { width: 1280, height: 860 }, deviceScaleFactor, isMobile, hasTouch, beforeLoad } = {}) {
      const page = await browser.newPage();
      await page.setViewport({ ...viewport, deviceScaleFactor, isMobile, hasTouch });
      const wrapped = new FirefoxPage(page);
      if (beforeLoad) await beforeLoad(wrapped);
      return wrapped;
    },
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
