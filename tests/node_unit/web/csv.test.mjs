// web/csv.js under node: the page's CSV reader and writer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCsv, toCsv } from "../../../web/csv.js";

test("parseCsv refuses junk with the line number and keeps good rows", () => {
  assert.equal(parseCsv("x,y\n1,2\n3,4\n").length, 4);
  assert.deepEqual(Array.from(parseCsv("# a comment\n\uFEFF1;2\n3\t4\n5 6\n")), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseCsv("1,2\n3,oops\n"), /line 2: "oops" is not a number/);
  assert.throws(() => parseCsv("1,2,3\n"), /line 1: expected 2 columns/);
  assert.throws(() => parseCsv("1,1e400\n"), /finite/);
  assert.throws(() => parseCsv("x,y\n"), /no points/);
  assert.throws(() => parseCsv("1,2\n3,4\n", 1), /more than 1 points/);
});

test("toCsv writes what parseCsv reads", () => {
  const xy = new Float32Array([0.5, -1.25, 3, 4.125]);
  assert.deepEqual(parseCsv(toCsv(xy)), xy);
  assert.match(toCsv(xy), /^x,y\n/);
});
