// scripts/serve.mjs and scripts/compress_site.mjs under node: the site's
// precompressed copies go to browsers that accept them, every answer has a
// strong ETag and Vary: Accept-Encoding, a known ETag gets 304 without a
// body, and paths outside the site are refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

const root = path.resolve(new URL("../../..", import.meta.url).pathname);
const site = fs.mkdtempSync(path.join(os.tmpdir(), "tinydiff-serve-"));
const script = "export const answer = 42;\n".repeat(200);
let server, base;

before(async () => {
  fs.writeFileSync(path.join(site, "index.html"), "<!doctype html><title>t</title>");
  fs.mkdirSync(path.join(site, "app"));
  fs.writeFileSync(path.join(site, "app", "main.js"), script);
  fs.writeFileSync(path.join(site, "plain.txt"), "not compressed");
  execFileSync(process.execPath, [path.join(root, "scripts/compress_site.mjs"), site]);
  server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), site, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((resolve) => server.stdout.on("data", (chunk) => {
    const match = /http:\/\/[^\s]+\//.exec(String(chunk));
    if (match) resolve(match[0]);
  }));
});
after(() => { server.kill(); fs.rmSync(site, { recursive: true, force: true }); });

// fetch decodes bodies itself: ask node's http for the bytes as sent.
import http from "node:http";
const get = (p, headers = {}) => new Promise((resolve, reject) => {
  http.get(new URL(p, base), { headers }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
  }).on("error", reject);
});

test("the build writes brotli and gzip copies of text and wasm files, not of others", () => {
  assert.ok(fs.existsSync(path.join(site, "app", "main.js.br")) && fs.existsSync(path.join(site, "app", "main.js.gz")));
  assert.ok(!fs.existsSync(path.join(site, "plain.txt.br")));
  assert.equal(zlib.brotliDecompressSync(fs.readFileSync(path.join(site, "app", "main.js.br"))).toString(), script);
});

test("each browser gets the best coding it accepts, and the same file", async () => {
  const br = await get("/app/main.js", { "accept-encoding": "gzip, deflate, br" });
  assert.equal(br.headers["content-encoding"], "br");
  assert.equal(zlib.brotliDecompressSync(br.body).toString(), script);
  assert.ok(br.body.length < script.length / 10, `${br.body.length} bytes sent`);
  const gz = await get("/app/main.js", { "accept-encoding": "gzip" });
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.equal(zlib.gunzipSync(gz.body).toString(), script);
  const refused = await get("/app/main.js", { "accept-encoding": "br;q=0, gzip" });
  assert.equal(refused.headers["content-encoding"], "gzip");
  const identity = await get("/app/main.js");
  assert.equal(identity.headers["content-encoding"], undefined);
  assert.equal(identity.body.toString(), script);
  for (const r of [br, gz, identity]) {
    assert.equal(r.headers.vary, "Accept-Encoding");
    assert.equal(r.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(r.headers["cross-origin-embedder-policy"], "require-corp");
  }
  assert.notEqual(br.headers.etag, identity.headers.etag, "each coding is its own representation");
});

test("a known ETag is answered 304 without a body; another gets the file", async () => {
  const first = await get("/app/main.js", { "accept-encoding": "br" });
  assert.match(first.headers.etag, /^"[\w-]+"$/);
  const again = await get("/app/main.js", { "accept-encoding": "br", "if-none-match": first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  const stale = await get("/app/main.js", { "accept-encoding": "br", "if-none-match": "\"something-else\"" });
  assert.equal(stale.status, 200);
  assert.ok(stale.body.length > 0);
  assert.equal((await get("/", { "if-none-match": (await get("/")).headers.etag })).status, 304);
});

test("a copy is sent only while its file exists and has not changed since the copy was made", async () => {
  const edited = path.join(site, "app", "edited.js"), removed = path.join(site, "app", "removed.js");
  for (const f of [edited, removed]) fs.writeFileSync(f, script);
  execFileSync(process.execPath, [path.join(root, "scripts/compress_site.mjs"), site]);
  fs.writeFileSync(edited, "export const edited = true;\n");
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(edited, later, later);  // as an edit after the build
  fs.rmSync(removed);
  const r = await get("/app/edited.js", { "accept-encoding": "br, gzip" });
  assert.equal(r.headers["content-encoding"], undefined);
  assert.equal(r.body.toString(), "export const edited = true;\n");
  assert.equal((await get("/app/removed.js", { "accept-encoding": "br, gzip" })).status, 404);
});

test("missing files are 404, and nothing outside the site is served", async () => {
  assert.equal((await get("/nothing.js")).status, 404);
  assert.equal((await get("/app")).status, 404);
  // The URL parser drops ".." segments before the server's own check (403) would see them.
  for (const p of ["/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/app/%2e%2e/%2e%2e/%2e%2e/etc/hostname"]) {
    const r = await get(p);
    assert.ok(r.status === 404 || r.status === 403, `${p}: ${r.status}`);
    assert.equal(r.headers["content-type"], "text/plain");
  }
});
