// WebKitGTK (Safari's engine): Debian's MiniBrowser driven by WebKitWebDriver
// over classic WebDriver, in an Xvfb display of its own. The driver holds
// one session at a time, so every page is a driver and a browser of its own
// (about a second to start). Classic WebDriver has no console events and no
// scripts before the page's own: a page's errors are those the page raises
// after it loads (window error and unhandledrejection events, console.error
// calls), recorded by listeners installed when navigation returns; a page
// that fails before that never becomes ready, which the harness reports.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { ScriptedPage, sleep } from "./scripted_page.mjs";
import { WebDriverSession } from "./webdriver_classic.mjs";

export const name = "webkit";
const MINIBROWSER = process.env.MINIBROWSER_PATH || "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

const KEYS = { Tab: "\uE004", Enter: "\uE007", Shift: "\uE008", Escape: "\uE00C", Space: "\uE00D", End: "\uE010", Home: "\uE011",
  ArrowLeft: "\uE012", ArrowUp: "\uE013", ArrowRight: "\uE014", ArrowDown: "\uE015" };

class WebKitPage extends ScriptedPage {
  constructor(session, driver) {
    super();
    this.session = session;
    this.driver = driver;
    this.pointer = { x: 0, y: 0 };
    const move = (x, y, steps = 1) => {
      const actions = [];
      for (let k = 1; k <= steps; k++) {
        actions.push({ type: "pointerMove", origin: "viewport", duration: 0,
          x: Math.round(this.pointer.x + ((x - this.pointer.x) * k) / steps), y: Math.round(this.pointer.y + ((y - this.pointer.y) * k) / steps) });
      }
      this.pointer = { x, y };
      return this.pointerActions("mouse", actions);
    };
    this.mouse = {
      move: (x, y, { steps = 1 } = {}) => move(x, y, steps),
      down: () => this.pointerActions("mouse", [{ type: "pointerDown", button: 0 }]),
      up: () => this.pointerActions("mouse", [{ type: "pointerUp", button: 0 }]),
      click: async (x, y) => { await move(x, y); await this.mouse.down(); await this.mouse.up(); },
    };
    // Playwright's key names, as WebDriver's code points (the spec's table of normalised keys).
    this.keyboard = {
      press: (key) => {
        const value = KEYS[key] ?? key;
        if ([...value].length !== 1) throw new Error(`keyboard.press: no WebDriver key for "${key}"`);
        return this.session.performActions([{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value }, { type: "keyUp", value }] }]);
      },
    };
  }
  // One finger from `from` to `to` ({x, y}) in small moves (WebDriver touch actions).
  swipe(from, to, moves = 12) {
    const actions = [{ type: "pointerMove", origin: "viewport", x: Math.round(from.x), y: Math.round(from.y) }, { type: "pointerDown", button: 0 }];
    for (let k = 1; k <= moves; k++) {
      actions.push({ type: "pointerMove", origin: "viewport", duration: 16,
        x: Math.round(from.x + ((to.x - from.x) * k) / moves), y: Math.round(from.y + ((to.y - from.y) * k) / moves) });
    }
    actions.push({ type: "pointerUp", button: 0 });
    return this.pointerActions("touch", actions);
  }
  pointerActions(pointerType, actions) {
    return this.session.performActions([{ type: "pointer", id: pointerType, parameters: { pointerType }, actions }]);
  }
  evaluate(fn, arg) { return this.session.execute(`return (${fn})(arguments[0]);`, [arg === undefined ? null : arg]); }
  // As Playwright does, the element is first scrolled to the window's middle (WebDriver
  // scrolls it only as far as its edge, where the page's toast may cover it).
  async click(selector) {
    try {
      await this.evaluate((s) => {
        const r = document.querySelector(s)?.getBoundingClientRect();
        if (r && (r.top < 0 || r.bottom > innerHeight - 120)) document.querySelector(s).scrollIntoView({ block: "center" });
      }, selector);
      // After pointer actions, WebKitGTK's driver sometimes reports an element
      // click that never reached the page (twice in CI, each time right after a
      // stroke on the canvas): a listener on the document says whether it did,
      // and the click is sent again (at most 3 times) if not. A disabled
      // element gets no click event: after the tries it is left as it is.
      for (let attempt = 1; attempt <= 3; attempt++) {
        await this.evaluate((s) => {
          window.__clickReached = false;
          document.addEventListener("click", (e) => {
            if (document.querySelector(s)?.contains(e.target)) window.__clickReached = true;
          }, { capture: true, once: true });
        }, selector);
        await this.session.clickElement(await this.session.findElement(selector));
        const reached = await this.waitForFunction(() => window.__clickReached, null, { timeout: 1500, polling: 50 })
          .then(() => true, () => false);
        // Strictly false: the same document, and no click in it (a click that loaded another page reached).
        if (reached || (await this.evaluate(() => window.__clickReached).catch(() => undefined)) !== false) break;
      }
    } catch (e) {
      e.message = `click ${selector}: ${e.message}`; // the driver's error names no element
      throw e;
    }
  }
  async tap(selector) {
    const { x, y } = await this.evaluate((s) => {
      const e = document.querySelector(s);
      e.scrollIntoView({ block: "center" });
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, selector);
    await this.pointerActions("touch", [{ type: "pointerMove", origin: "viewport", x: Math.round(x), y: Math.round(y) },
      { type: "pointerDown", button: 0 }, { type: "pointerUp", button: 0 }]);
  }
  async screenshot({ path } = {}) {
    const png = await this.session.screenshot();
    if (path) fs.writeFileSync(path, png);
    return png;
  }
  async goto(url) {
    await this.session.navigate(url);
    await this.recordErrors();
  }
  recordErrors() {
    return this.evaluate(() => {
      if (window.__pageErrors) return;
      const errors = (window.__pageErrors = []);
      addEventListener("error", (e) => errors.push(e.message || String(e)));
      addEventListener("unhandledrejection", (e) => errors.push(String(e.reason)));
      const consoleError = console.error;
      console.error = (...args) => { errors.push(args.map(String).join(" ")); consoleError.apply(console, args); };
    });
  }
  async reload() {
    await this.session.command("POST", "/refresh", {});
    await this.recordErrors();
  }
  consoleErrors() { return this.evaluate(() => window.__pageErrors || []); }
  async close() {
    try { await this.session.delete(); } finally { this.driver.kill(); }
  }
}

// A free TCP port on the loopback interface.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on("error", reject);
  });
}

// An Xvfb display chosen by Xvfb itself (-displayfd), for MiniBrowser's windows.
function startXvfb() {
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"], { stdio: ["ignore", "ignore", "ignore", "pipe"] }); // its stderr: a line per display number already taken
  return new Promise((resolve, reject) => {
    xvfb.stdio[3].on("data", (chunk) => resolve({ xvfb, display: `:${String(chunk).trim()}` }));
    xvfb.on("exit", (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
}

export async function launch() {
  const { xvfb, display } = await startXvfb();
  const drivers = new Set();
  return {
    // options: viewport {width, height} (the window's inner size; MiniBrowser's
    // window is at least about 450 px wide); phone emulation does not exist here.
    async newPage({ viewport = { width: 1280, height: 860 }, beforeLoad } = {}) {
      if (beforeLoad) throw new Error("beforeLoad (a script before the page's own) needs Playwright or Puppeteer; classic WebDriver has none");
      // MiniBrowser did not start, once in ~55 sessions: a new driver and browser, up to three tries.
      for (let attempt = 1; ; attempt++) {
        try {
          return await startPage(viewport);
        } catch (e) {
          if (attempt === 3) throw e;
        }
      }
    },
    async close() {
      for (const driver of drivers) driver.kill();
      xvfb.kill();
    },
  };

  // A driver on a free port, a session (MiniBrowser), the window sized.
  async function startPage(viewport) {
    const port = await freePort();
    const driver = spawn(process.env.WEBKITWEBDRIVER_PATH || "WebKitWebDriver", [`--port=${port}`], {
      stdio: "ignore", env: { ...process.env, DISPLAY: display } });
    drivers.add(driver);
    driver.on("exit", () => drivers.delete(driver));
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) { // until the driver answers
        try { if ((await fetch(`${base}/status`)).ok) break; } catch { /* not listening yet */ }
        if (i > 100) throw new Error("WebKitWebDriver did not start");
        await sleep(50);
      }
      const session = await WebDriverSession.create(base, { browserName: "MiniBrowser",
        "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } });
      const page = new WebKitPage(session, driver);
      // The window's size is set, then corrected by what the page measures (toolbars take their share).
      await session.setWindowRect(viewport);
      const inner = await page.evaluate(() => [innerWidth, innerHeight]);
      await session.setWindowRect({ width: 2 * viewport.width - inner[0], height: 2 * viewport.height - inner[1] });
      return page;
    } catch (e) {
      driver.kill();
      throw e;
    }
  }
}
