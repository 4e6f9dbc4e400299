#include "tinydiff/dataset.hpp"

#include <algorithm>
#include <cmath>

#include "tinydiff/config.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct RawPoint {
  float x, y;
};
const RawPoint kDino[] = {
#include "dino_points.inc"
};

// Datasaurus dino: resample with replacement, jitter in raw units, rescale.
std::vector<float> dino(int n, Rng& rng) {
  const uint64_t count = sizeof(kDino) / sizeof(kDino[0]);
  std::vector<float> xy(2 * size_t(n));
  for (int i = 0; i < n; ++i) {
    const RawPoint& p = kDino[rng.below(count)];
    const double x = p.x + 0.15 * rng.normal();
    const double y = p.y + 0.15 * rng.normal();
    xy[2 * i] = float((x / 54.0 - 1.0) * 4.0);
    xy[2 * i + 1] = float((y / 48.0 - 1.0) * 4.0);
  }
  return xy;
}

// sklearn.make_moons(noise=0.03), then the reference's affine map. The
// first n / 2 points are the outer moon.
std::vector<float> moons(int n, Rng& rng) {
  const int n_outer = n / 2, n_inner = n - n_outer;
  auto spaced = [](int i, int count) { return count > 1 ? kPi * i / (count - 1) : 0.0; };
  std::vector<float> xy(2 * size_t(n));
  for (int i = 0; i < n; ++i) {
    double x, y;
    if (i < n_outer) {
      const double s = spaced(i, n_outer);
      x = std::cos(s);
      y = std::sin(s);
    } else {
      const double s = spaced(i - n_outer, n_inner);
      x = 1.0 - std::cos(s);
      y = 1.0 - std::sin(s) - 0.5;
    }
    x += 0.03 * rng.normal();
    y += 0.03 * rng.normal();
    xy[2 * i] = float((x + 0.3) * 2.0 - 1.0);
    xy[2 * i + 1] = float((y + 0.3) * 3.0 - 1.0);
  }
  return xy;
}

std::vector<float> line(int n, Rng& rng) {
  std::vector<float> xy(2 * size_t(n));
  for (int i = 0; i < n; ++i) {
    xy[2 * i] = float(rng.uniform(-0.5, 0.5) * 4.0);
    xy[2 * i + 1] = float(rng.uniform(-1.0, 1.0) * 4.0);
  }
  return xy;
}

// Grid-snapped uniform points pushed onto the unit circle, then a small
// random offset. Like the reference, a point snapped to (0, 0) stays there.
std::vector<float> circle(int n, Rng& rng) {
  std::vector<float> xy(2 * size_t(n));
  for (int i = 0; i < n; ++i) {
    double x = std::nearbyint(rng.uniform(-0.5, 0.5) / 2.0 * 10.0) / 10.0 * 2.0;
    double y = std::nearbyint(rng.uniform(-0.5, 0.5) / 2.0 * 10.0) / 10.0 * 2.0;
    const double norm = std::sqrt(x * x + y * y) + 1e-10;
    x /= norm;
    y /= norm;
    const double theta = 2.0 * kPi * rng.uniform();
    const double r = 0.03 * rng.uniform();
    x += r * std::cos(theta);
    y += r * std::sin(theta);
    xy[2 * i] = float(x * 3.0);
    xy[2 * i + 1] = float(y * 3.0);
  }
  return xy;
}


// Each moon a class: 0 the outer (upper) one, 1 the inner.
PointSet two_moons(int n, Rng& rng) {
  PointSet points{moons(n, rng), std::vector<int>(size_t(n), 1)};
  std::fill_n(points.labels.begin(), n / 2, 0);
  return points;
}

// Two shapes apart: a dino at half size (class 0) inside the circle (class 1).
PointSet dino_in_circle(int n, Rng& rng) {
  const int n_dino = n / 2, n_circle = n - n_dino;
  PointSet points;
  points.xy = dino(n_dino, rng);
  for (float& v : points.xy) v *= 0.5f;
  const std::vector<float> ring = circle(n_circle, rng);
  points.xy.insert(points.xy.end(), ring.begin(), ring.end());
  points.labels.assign(size_t(n_dino), 0);
  points.labels.resize(size_t(n), 1);
  return points;
}

// Eight Gaussians on a circle of radius 5, as the flow-matching papers
// (Tong et al. 2024, Lipman et al. 2023) draw their toy target: centres at
// every 45 degrees, each point at a random one, with a standard deviation of
// 0.3 around it (so that the blobs, 3.8 apart, stay inside the page's
// [-6, 6] view).
std::vector<float> eight_gaussians(int n, Rng& rng) {
  std::vector<float> xy(2 * size_t(n));
  for (int i = 0; i < n; ++i) {
    const double angle = kPi / 4.0 * double(rng.below(8));
    xy[2 * i] = float(5.0 * std::cos(angle) + 0.3 * rng.normal());
    xy[2 * i + 1] = float(5.0 * std::sin(angle) + 0.3 * rng.normal());
  }
  return xy;
}

}  // namespace

int PointSet::num_classes() const {
  int k = 0;
  for (int label : labels) k = std::max(k, label + 1);
  return k;
}

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names{"dino", "moons", "line", "circle", "two_moons", "dino_in_circle",
                                              "eight_gaussians"};
  return names;
}

PointSet make_points(const std::string& name, int n, uint64_t seed) {
  check_integer_range("number of points", n, 1, kMaxDatasetSize);
  Rng rng(seed);
  if (name == "dino") return {dino(n, rng), {}};
  if (name == "moons") return {moons(n, rng), {}};
  if (name == "line") return {line(n, rng), {}};
  if (name == "circle") return {circle(n, rng), {}};
  if (name == "two_moons") return two_moons(n, rng);
  if (name == "dino_in_circle") return dino_in_circle(n, rng);
  if (name == "eight_gaussians") return {eight_gaussians(n, rng), {}};
  throw ConfigError(not_one_of("dataset", dataset_names(), name));
}

std::vector<float> make_dataset(const std::string& name, int n, uint64_t seed) {
  return make_points(name, n, seed).xy;
}

const std::vector<float>& dino_raw_points() {
  static const std::vector<float> xy = [] {
    std::vector<float> out;
    for (const RawPoint& p : kDino) {
      out.push_back(p.x);
      out.push_back(p.y);
    }
    return out;
  }();
  return xy;
}

std::vector<uint32_t> training_indices(size_t count, size_t n, uint64_t seed) {
  std::vector<uint32_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = uint32_t(i);
  if (n == 0 || n >= count) return order;
  // A partial Fisher-Yates shuffle: its first n are a uniform n-subset. The
  // stream is the seed's own, apart from the data's, the weights' and the batches'.
  constexpr uint64_t kSubsetStream = 0x5b5e7;
  Rng rng(seed ^ kSubsetStream);
  for (size_t i = 0; i < n; ++i) std::swap(order[i], order[i + size_t(rng.below(count - i))]);
  order.resize(n);
  std::sort(order.begin(), order.end());
  return order;
}

SplitPoints split_training_set(const PointSet& points, size_t n, uint64_t seed) {
  const std::vector<uint32_t> chosen = training_indices(points.size(), n, seed);
  SplitPoints out;
  const bool labelled = !points.labels.empty();
  size_t next = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const bool trains = next < chosen.size() && chosen[next] == i;
    if (trains) ++next;
    PointSet& to = trains ? out.train : out.held_out;
    to.xy.push_back(points.xy[2 * i]);
    to.xy.push_back(points.xy[2 * i + 1]);
    if (labelled) to.labels.push_back(points.labels[i]);
  }
  return out;
}

void check_points(const std::vector<float>& xy) {
  if (xy.size() % 2 != 0) {
    throw ConfigError("points must be (x, y) pairs: got an odd count of " +
                      std::to_string(xy.size()) + " numbers");
  }
  if (xy.empty()) throw ConfigError("the dataset is empty: add at least one point");
  if (xy.size() / 2 > size_t(kMaxDatasetSize)) {
    throw ConfigError("the dataset has " + std::to_string(xy.size() / 2) +
                      " points; at most " + std::to_string(kMaxDatasetSize) + " are allowed");
  }
  for (size_t i = 0; i < xy.size(); ++i) {
    if (!std::isfinite(xy[i])) {
      throw ConfigError("point " + std::to_string(i / 2 + 1) + " has a non-finite coordinate");
    }
  }
}

}  // namespace tinydiff
