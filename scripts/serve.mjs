// A minimal static file server for the built site (no server code is needed
// by the page itself; any static host works). usage:
//   node scripts/serve.mjs [DIR] [--port N] [--host H] [--no-isolation]
// It sends the two headers that make the page cross-origin isolated
// (COOP/COEP), which the page's training threads need (SharedArrayBuffer).
// --no-isolation leaves them out, as a static host that cannot set headers
// does: the page's service worker (coi-serviceworker.js) then adds them
// where it can, and the page trains on one thread where it cannot.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const root = path.resolve(args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--"))) || "build-wasm/site");
let port = Number(option("--port", process.env.PORT || 8000));
const host = option("--host", "127.0.0.1");
const isolation = !args.includes("--no-isolation");
const ISOLATION_HEADERS = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".csv": "text/csv", ".ico": "image/x-icon",
};

if (!fs.existsSync(path.join(root, "index.html"))) {
  console.error(`serve: ${root}/index.html not found (build the site first: scripts/build_web.sh)`);
  process.exit(1);
}

const server = http.createServer((req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
  } catch {
    res.writeHead(400).end("bad request");
    return;
  }
  if (pathname.endsWith("/")) pathname += "index.html";
  const file = path.join(root, pathname);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end("forbidden");
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-cache",
      ...(isolation ? ISOLATION_HEADERS : {}) });
    res.end(body);
  });
});

server.on("error", (e) => {
  if (e.code === "EADDRINUSE" && port > 0 && port < 8100) {
    port += 1;
    server.listen(port, host);
  } else {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  }
});
server.on("listening", () => {
  const actual = server.address().port; // --port 0 lets the system choose
  console.log(`tinydiff is served at http://${host === "0.0.0.0" ? "localhost" : host}:${actual}/  (Ctrl+C stops)${isolation ? "" : "  without cross-origin isolation headers"}`);
});
server.listen(port, host);
