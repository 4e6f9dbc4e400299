// A minimal static file server for the built site (no server code is needed
// by the page itself; any static host works). usage:
//   node scripts/serve.mjs [DIR] [--port N] [--host H] [--no-isolation]
// It sends the two headers that make the page cross-origin isolated
// (COOP/COEP), which the page's training threads need (SharedArrayBuffer).
// --no-isolation leaves them out, as a static host that cannot set headers
// does: the page's service worker (coi-serviceworker.js) then adds them
// where it can, and the page trains on one thread where it cannot.
//
// Delivery: a file's precompressed copy (FILE.br, FILE.gz, written by
// scripts/compress_site.mjs) goes to a browser that accepts it, with
// Content-Encoding and Vary: Accept-Encoding; every answer carries a strong
// ETag of what it sends, and a request whose If-None-Match holds it gets 304
// Not Modified without a body: a later visit revalidates and downloads only
// what changed. Each answer is fresh for 30 s (max-age=30), so that within
// one visit a file is not asked for again: the workers load the wasm builds
// the page has just fetched, and each revalidation cost a round trip in
// their start-up chain (0.3 s on a 150 ms link). GitHub Pages, for one,
// sends max-age=600. The service worker's copies are always revalidated.
import crypto from "node:crypto";
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

const FRESH_SECONDS = 30;
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".csv": "text/csv", ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
};

// The encodings this server can send, best first: the copy's suffix.
const ENCODINGS = [["br", ".br"], ["gzip", ".gz"]];

// The coding of `file` (modified at `mtimeMs`) to send for this
// Accept-Encoding header: the best one the browser accepts (q > 0) of which
// the site holds a copy made since the file last changed, else identity. A
// copy older than its file (the file edited or replaced after the build) is
// never sent.
function chooseEncoding(file, mtimeMs, acceptEncoding = "") {
  const accepted = new Set(acceptEncoding.split(",").map((part) => part.trim().split(";")).filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([coding]) => coding.trim().toLowerCase()));
  for (const [coding, suffix] of ENCODINGS) {
    if (!accepted.has(coding)) continue;
    const copy = fs.statSync(file + suffix, { throwIfNoEntry: false });
    if (copy && copy.isFile() && copy.mtimeMs > mtimeMs) return { coding, path: file + suffix };
  }
  return { coding: null, path: file };
}

// Strong ETags by path and modification time, so a file is hashed once.
const etags = new Map();
function etagOf(file, body, mtimeMs) {
  const key = `${file}:${mtimeMs}`;
  if (!etags.has(key)) etags.set(key, `"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`);
  return etags.get(key);
}

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
  fs.stat(file, (statError, original) => {
    if (statError || !original.isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const { coding, path: sent } = chooseEncoding(file, original.mtimeMs, req.headers["accept-encoding"]);
    fs.readFile(sent, (err, body) => {
      if (err) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const etag = etagOf(sent, body, original.mtimeMs);
      const headers = { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": `max-age=${FRESH_SECONDS}`,
        etag, vary: "Accept-Encoding", ...(coding ? { "content-encoding": coding } : {}), ...(isolation ? ISOLATION_HEADERS : {}) };
      const known = (req.headers["if-none-match"] || "").split(",").map((t) => t.trim().replace(/^W\//, ""));
      if (known.includes(etag) || known.includes("*")) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, { ...headers, "content-length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    });
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
