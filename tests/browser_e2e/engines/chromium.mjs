// Debian's chromium, driven by Playwright (over the DevTools protocol): the
// reference engine of the suite; its pages are Playwright's own, with the
// console errors and uncaught exceptions they record.
import { chromium } from "playwright-core";

export const name = "chromium";

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    // options: Playwright's page options, and beforeLoad(page), run before the page loads.
    async newPage({ beforeLoad, ...options } = {}) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, ...options });
      if (beforeLoad) await beforeLoad(page);
      const errors = [];
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(e.message));
      page.consoleErrors = async () => errors;
      page.swipe = (from, to) => swipe(page, from, to);
      return page;
    },
    close: () => browser.close(),
  };
}

// One finger from `from` to `to` ({x, y}, viewport pixels) in small moves,
// as real touch input (DevTools' Input.dispatchTouchEvent): the page sees
// pointer and touch events, and the browser scrolls what a finger scrolls.
async function swipe(page, from, to, moves = 12) {
  const cdp = await page.context().newCDPSession(page);
  const at = (k) => [{ x: from.x + ((to.x - from.x) * k) / moves, y: from.y + ((to.y - from.y) * k) / moves }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0) });
  for (let k = 1; k <= moves; k++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(k) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}
