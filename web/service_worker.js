// The page's service worker (it runs in the browser's service-worker
// context, and sits at the site's root because a service worker controls
// only pages at or below its own folder). Two jobs:
// - Offline: it keeps a copy of every file of the site, so a reload
//   without network shows the working page. The site build writes the
//   file list and a version (a hash of their contents) into SITE below; a
//   new deployment changes them, so the browser installs the new worker
//   beside the old one, and the page offers a reload (app/service_worker_client.js).
// - Cross-origin isolation where the host cannot send its two headers
//   (GitHub Pages): it adds them to every response, which gives the page
//   SharedArrayBuffer and with it training threads. scripts/serve.mjs sends
//   them itself; adding them again changes nothing.
/* global self, caches */

// Filled by the site build (scripts/offline_manifest.mjs): {version, files,
// threaded}: the files every page needs, and the threaded build's, kept
// only once a page runs it (the page says so, or fetches them through here).
const SITE = null;

const CACHE = `tinydiff-${SITE ? SITE.version : "unbuilt"}`;
const ISOLATION_HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

self.addEventListener("install", (event) => {
  // "no-cache": the browser revalidates its own copies (a 304 for files
  // the page has just loaded) rather than downloading them again.
  event.waitUntil(keep(SITE ? SITE.files : []));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("tinydiff-") && name !== CACHE) await caches.delete(name);
  })());
  // The first version takes the open page over at once (on a host without
  // the headers, the page then reloads into isolation). Not waited for:
  // WebKitGTK never settled it while the page was reloading into a new
  // version, and the activation, and with it every fetch, waited forever.
  self.clients.claim().catch(() => {});
});

// The page asks a waiting new version to take over (the user chose to
// reload), or says that it runs the threaded build.
self.addEventListener("message", (event) => {
  if (event.data === "activate-new-version") self.skipWaiting();
  if (event.data === "keep-threaded-build") event.waitUntil(keep(SITE ? SITE.threaded : []));
});

// Copies of these files (paths relative to the site), revalidated rather than downloaded again.
async function keep(files) {
  const cache = await caches.open(CACHE);
  await cache.addAll(files.map((file) => new Request(file, { cache: "no-cache" })));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // A page navigation is the site's index.html whatever its query.
  const key = request.mode === "navigate" ? new URL("./", self.registration.scope).href : url.origin + url.pathname;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const kept = (await cache.match(key)) || (await cache.match(key + "index.html"));
    if (kept) return isolated(kept);
    const response = await fetch(request);
    // A file of the site fetched now (the threaded build, once a page runs it) is kept too.
    const file = url.pathname.slice(new URL(self.registration.scope).pathname.length);
    if (response.ok && SITE && SITE.threaded.includes(file)) event.waitUntil(cache.put(key, response.clone()));
    return isolated(response);
  })());
});

// The response with the isolation headers (an opaque response cannot be changed).
function isolated(response) {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
