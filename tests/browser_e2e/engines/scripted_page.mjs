// The part of Playwright's Page that the tests use, for engines Playwright
// does not drive here (Firefox over Puppeteer, WebKitGTK over classic
// WebDriver). An engine's page supplies the primitives - evaluate(fn, arg),
// click(selector) and tap(selector) as real input, mouse, screenshot,
// goto, reload, close, consoleErrors() - and this class builds the rest on them the
// way Playwright does: waits poll a condition in the page, form controls
// are set and given their input/change events, files reach an <input
// type=file> through a DataTransfer, and a download is the file the page
// hands to the browser (an <a download> click), captured in the page
// because neither protocol here reports downloads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

export class ScriptedPage {
  // Polls fn(arg) in the page until it returns a truthy value (Playwright's
  // signature: fn, arg, {timeout, polling}).
  async waitForFunction(fn, arg, { timeout = 30000, polling = 100 } = {}) {
    const end = Date.now() + timeout;
    for (;;) {
      const value = await this.evaluate(fn, arg);
      if (value) return value;
      if (Date.now() > end) throw new Error(`waitForFunction timed out after ${timeout} ms: ${String(fn).slice(0, 160)}`);
      await sleep(polling);
    }
  }
  waitForTimeout(ms) { return sleep(ms); }
  url() { return this.evaluate(() => location.href); }

  textContent(selector) { return this.evaluate((s) => document.querySelector(s).textContent, selector); }
  inputValue(selector) { return this.evaluate((s) => document.querySelector(s).value, selector); }
  // Playwright's visibility: a non-empty box and not visibility:hidden.
  isVisible(selector) {
    return this.evaluate((s) => {
      const e = document.querySelector(s);
      if (!e) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
    }, selector);
  }
  async isHidden(selector) { return !(await this.isVisible(selector)); }
  $$eval(selector, fn) {
    return this.evaluate(([s, source]) => (0, eval)(`(${source})`)([...document.querySelectorAll(s)]), [selector, String(fn)]);
  }
  dispatchEvent(selector, type) {
    return this.evaluate(([s, t]) => { document.querySelector(s).dispatchEvent(new Event(t, { bubbles: true })); }, [selector, type]);
  }
  // As Playwright: the value set, then input and change (a <select>'s user change).
  selectOption(selector, value) {
    return this.evaluate(([s, v]) => {
      const e = document.querySelector(s);
      if (![...e.options].some((o) => o.value === v)) throw new Error(`${s} has no option ${v}`);
      e.value = v;
      e.dispatchEvent(new Event("input", { bubbles: true }));
      e.dispatchEvent(new Event("change", { bubbles: true }));
    }, [selector, String(value)]);
  }
  // As Playwright: a text field gets its value and an input event; a range
  // (set directly, no typing) also gets change.
  fill(selector, value) {
    return this.evaluate(([s, v]) => {
      const e = document.querySelector(s);
      e.focus();
      e.value = v;
      e.dispatchEvent(new Event("input", { bubbles: true }));
      if (e.type === "range") e.dispatchEvent(new Event("change", { bubbles: true }));
    }, [selector, String(value)]);
  }
  async check(selector) { if (!(await this.evaluate((s) => document.querySelector(s).checked, selector))) await this.click(selector); }
  async uncheck(selector) { if (await this.evaluate((s) => document.querySelector(s).checked, selector)) await this.click(selector); }

  // {name, mimeType, buffer}: the file given to the input, then input and change.
  setInputFiles(selector, { name, mimeType, buffer }) {
    return this.evaluate(([s, fileName, type, base64]) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], fileName, { type }));
      const input = document.querySelector(s);
      input.files = transfer.files;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }, [selector, name, mimeType, Buffer.from(buffer).toString("base64")]);
  }

  // Only "download": resolves with the next file the page offers, as
  // Playwright's Download (suggestedFilename, path, createReadStream).
  async waitForEvent(kind, { timeout = 30000 } = {}) {
    if (kind !== "download") throw new Error(`waitForEvent("${kind}") is not available in this engine`);
    await this.evaluate(() => {
      if (window.__capturedDownloads) return;
      window.__capturedDownloads = [];
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function captureDownload() {
        if (!this.download) return click.call(this);
        const entry = { name: this.download, base64: null };
        window.__capturedDownloads.push(entry);
        fetch(this.href).then((r) => r.arrayBuffer()).then((buffer) => {
          let text = "";
          const bytes = new Uint8Array(buffer);
          for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          entry.base64 = btoa(text);
        });
      };
    });
    const captured = await this.waitForFunction(() => {
      const d = window.__capturedDownloads;
      return d.length && d[0].base64 !== null ? d.shift() : null;
    }, undefined, { timeout, polling: 50 });
    const bytes = Buffer.from(captured.base64, "base64");
    return {
      suggestedFilename: () => captured.name,
      createReadStream: async () => Readable.from([bytes]),
      path: async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tinydiff-download-")), captured.name);
        fs.writeFileSync(file, bytes);
        return file;
      },
    };
  }

  locator(selector) {
    const page = this;
    return {
      fill: (value) => page.fill(selector, value),
      dispatchEvent: (type) => page.dispatchEvent(selector, type),
      selectOption: (value) => page.selectOption(selector, value),
      count: () => page.evaluate((s) => document.querySelectorAll(s).length, selector),
      evaluate: (fn) => page.evaluate(([s, source]) => (0, eval)(`(${source})`)(document.querySelector(s)), [selector, String(fn)]),
      boundingBox: () => page.evaluate((s) => {
        const r = document.querySelector(s).getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }, selector),
    };
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
