// Symmetric Chamfer distance of two sets of interleaved x, y points, as
// core's metrics compute it (brute force, for the small sets of the browser
// tests and the page benchmark): the mean distance from each point of `a`
// to its nearest in `b`, plus the same from `b` to `a`.
export function chamfer(a, b) {
  const one = (p, q) => {
    let total = 0;
    for (let i = 0; i < p.length; i += 2) {
      let best = Infinity;
      for (let j = 0; j < q.length; j += 2) best = Math.min(best, (p[i] - q[j]) ** 2 + (p[i + 1] - q[j + 1]) ** 2);
      total += Math.sqrt(best);
    }
    return total / (p.length / 2);
  };
  return one(a, b) + one(b, a);
}
