// axe-core (tests/package.json, pinned) in the page under test: the WCAG 2.x
// A and AA rules (2.2's target-size included) and axe's best practices.
// Returns the violations, each as "rule: what (the elements)"; [] is a pass.
import fs from "node:fs";
import { createRequire } from "node:module";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export async function axeViolations(page) {
  await page.evaluate((source) => { if (!window.axe) (0, eval)(source); }, axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, rules: { "target-size": { enabled: true } }, resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 6).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 6 ? ` and ${v.nodes.length - 6} more` : ""})`);
  }, TAGS);
}
