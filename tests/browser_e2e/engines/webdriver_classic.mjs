// A client of classic WebDriver (W3C WebDriver, HTTP + JSON) with the few
// commands the tests use: sessions, navigation, scripts, elements, pointer
// actions, window size, screenshots. Debian's WebKitWebDriver speaks only
// this protocol (no BiDi), and these dozen commands do not need a 68 MB
// client library. Commands of one session run one at a time, in the order
// they were issued (the protocol handles one at a time anyway; the order
// matters when a test starts waiting for an event before it clicks).

// The W3C element reference key of a returned element.
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverSession {
  constructor(base, id) {
    this.base = base;
    this.id = id;
    this.queue = Promise.resolve();
  }

  // POST /session at `base` (http://127.0.0.1:port) with these capabilities;
  // it fails after `timeoutMs` (the browser did not start).
  static async create(base, capabilities, { timeoutMs = 30000 } = {}) {
    const value = await send(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } }, timeoutMs);
    return new WebDriverSession(base, value.sessionId);
  }

  command(method, route, body) {
    const run = () => send(this.base, method, `/session/${this.id}${route}`, body);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  navigate(url) { return this.command("POST", "/url", { url }); }
  currentUrl() { return this.command("GET", "/url"); }
  // Runs `source` (a function body; `arguments` holds args) and returns its
  // value; a returned promise is awaited (the standard's Execute Script).
  execute(source, args = []) { return this.command("POST", "/execute/sync", { script: source, args }); }
  async findElement(selector) {
    const value = await this.command("POST", "/element", { using: "css selector", value: selector });
    return value[ELEMENT];
  }
  clickElement(element) { return this.command("POST", `/element/${element}/click`, {}); }
  // One input source's actions: pointer (type "mouse" or "touch") or key.
  performActions(actions) { return this.command("POST", "/actions", { actions }); }
  releaseActions() { return this.command("DELETE", "/actions"); }
  setWindowRect(rect) { return this.command("POST", "/window/rect", rect); }
  async screenshot() { return Buffer.from(await this.command("GET", "/screenshot"), "base64"); }
  delete() { return send(this.base, "DELETE", `/session/${this.id}`); }
}

// A command's answer; one that takes longer than `timeoutMs` fails (no
// test command takes a minute; a browser that stopped answering would
// otherwise hold the test for node's five-minute header timeout).
async function send(base, method, route, body, timeoutMs = 120000) {
  const response = await fetch(base + route, {
    method,
    signal: AbortSignal.timeout(timeoutMs),
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { throw new Error(`WebDriver ${method} ${route}: HTTP ${response.status}: ${text.slice(0, 200)}`); }
  if (!response.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    throw new Error(`WebDriver ${method} ${route}: ${v.error || response.status}: ${v.message || text.slice(0, 200)}`);
  }
  return json.value;
}
