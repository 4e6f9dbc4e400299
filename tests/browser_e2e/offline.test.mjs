// The page offline and installable: its service worker keeps the site, so
// that a reload with the server gone shows the working page with the user's
// drawing (the link, and this browser's copy of a drawing too large for a
// link); a new deployment is installed beside the running one and offered
// with a reload; the web app manifest and its icons load.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { bannerText, errorsOf, siteDir, useSite, waitForBanner, waitForReload } from "./harness.mjs";

// A copy of the site that the update test deploys a new version into.
const deployed = fs.mkdtempSync(path.join(os.tmpdir(), "tinydiff-deployed-"));
fs.cpSync(siteDir, deployed, { recursive: true });
after(() => fs.rmSync(deployed, { recursive: true, force: true }));
const offlineSite = useSite();
const updatedSite = useSite({ site: deployed });

// Until the service worker controls the page.
const controlled = (page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
// Until it has kept the build the training worker runs (the threaded one is kept once the page says it runs it).
const keptOffline = (page) => page.waitForFunction(async () => {
  const [name] = await caches.keys();
  if (!name) return false;
  const build = window.tinydiff.status().maxThreads > 1 ? "tinydiff-threads.wasm" : "tinydiff.wasm";
  return Boolean(await (await caches.open(name)).match(build));
}, null, { timeout: 30000 });
const status = (page) => page.evaluate(() => {
  const s = window.tinydiff.status();
  return { step: s.step, dataset: s.settings.dataset, count: s.data.length / 2, isolated: s.isolated };
});

test("offline: a reload without the server shows the working page with the drawing", async () => {
  const page = await offlineSite.open();
  await controlled(page);
  await keptOffline(page);
  // A drawing too large for a link (3,000 points): this browser keeps it.
  const rows = ["x,y"];
  for (let i = 0; i < 3000; i++) rows.push(`${(3 * Math.cos(i)).toFixed(3)},${(3 * Math.sin(i)).toFixed(3)}`);
  await page.setInputFiles("#import-csv", { name: "ring.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
  await waitForBanner(page, /Imported 3.?000 points/);
  assert.doesNotMatch(await page.url(), /pts=/);

  await offlineSite.stopServer();
  await waitForReload(page, () => page.reload());
  let s = await status(page);
  assert.equal(s.dataset, "custom");
  assert.equal(s.count, 3000);
  // The page says where the drawing came from, unless a later message took
  // the banner: Firefox's thread pool start-up, restarted (~2% of loads).
  const said = await bannerText(page);
  if (!/training worker failed \(its threads did not start/.test(said)) assert.match(said, /Your drawing of 3.?000 points is back/);
  assert.equal(s.isolated, true, "isolated offline too: the service worker adds the headers");
  await page.click("#play");
  await page.waitForFunction(() => window.tinydiff.status().step > 300, null, { timeout: 30000 });
  await page.click("#play");
  s = await status(page);
  assert.ok(s.step > 300);
  assert.deepEqual(await errorsOf(page), []);
  await page.close();
});

test("a new deployment is installed beside the running page and offered with a reload", async () => {
  const page = await updatedSite.open("#data=moons");
  await controlled(page);
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    const m = await (await fetch(link.href)).json();
    const icons = await Promise.all(m.icons.map(async (i) => (await createImageBitmap(await (await fetch(new URL(i.src, link.href))).blob())).width));
    return { name: m.short_name, display: m.display, icons };
  });
  assert.deepEqual(manifest, { name: "tinydiff", display: "standalone", icons: [192, 512, 512] });
  // Deploy: a file of the site changes, and with it the worker's version.
  const worker = path.join(deployed, "service_worker.js");
  fs.writeFileSync(worker, fs.readFileSync(worker, "utf8").replace(/"version":"([0-9a-f]+)"/, '"version":"$1-next"'));
  for (const copy of ["service_worker.js.br", "service_worker.js.gz"]) fs.rmSync(path.join(deployed, copy), { force: true });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await waitForBanner(page, /A new version of tinydiff is ready/);
  assert.equal(await page.textContent("#banner-action"), "Reload to use it");
  await waitForReload(page, () => page.click("#banner-action"));
  const version = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("tinydiff-")));
  assert.equal(version.length, 1, `one version kept: ${version}`);
  assert.match(version[0], /-next$/);
  assert.match(await page.url(), /data=moons/, "the link survives the reload");
  assert.deepEqual(await errorsOf(page), []);
  await page.close();
});
