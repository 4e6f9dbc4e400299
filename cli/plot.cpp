#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#include <stb/stb_easy_font.h>

namespace tinydiff::cli {
namespace {

struct Canvas {
  int size;
  std::vector<uint8_t> rgb;
  explicit Canvas(int s) : size(s), rgb(size_t(s) * s * 3, 255) {}

  // Alpha-blend a colour into one pixel.
  void blend(int x, int y, const uint8_t c[3], float alpha) {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    uint8_t* p = &rgb[(size_t(y) * size + x) * 3];
    for (int k = 0; k < 3; ++k) p[k] = uint8_t(std::lround(p[k] * (1 - alpha) + c[k] * alpha));
  }
  void rect(int x0, int y0, int x1, int y1, const uint8_t c[3], float alpha = 1) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) blend(x, y, c, alpha);
  }
  // Anti-aliased disc.
  void disc(float cx, float cy, float r, const uint8_t c[3], float alpha) {
    for (int y = int(cy - r - 1); y <= int(cy + r + 1); ++y)
      for (int x = int(cx - r - 1); x <= int(cx + r + 1); ++x) {
        const float d = std::hypot(x + 0.5f - cx, y + 0.5f - cy);
        const float cover = std::clamp(r + 0.5f - d, 0.0f, 1.0f);
        if (cover > 0) blend(x, y, c, alpha * cover);
      }
  }
  void text(int x, int y, const std::string& s, const uint8_t c[3], int scale) {
    std::vector<char> buffer(s.size() * 270 + 64);
    std::string copy = s;
    const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(), int(buffer.size()));
    const float* v = reinterpret_cast<const float*>(buffer.data());
    for (int q = 0; q < quads; ++q) {  // each quad: 4 vertices of (x, y, z, rgba)
      const float* a = v + q * 16;
      const float* b = a + 8;
      rect(x + int(a[0] * scale), y + int(a[1] * scale), x + int(b[0] * scale),
           y + int(b[1] * scale), c);
    }
  }
};

}  // namespace

void write_scatter_png(const std::string& path, const float* xy, size_t n,
                       const std::string& title, int size) {
  Canvas canvas(size);
  const uint8_t grid[3] = {232, 234, 240}, frame[3] = {90, 96, 110}, point[3] = {31, 119, 180},
                ink[3] = {40, 44, 52};
  const float lo = -6, hi = 6;
  auto to_px = [&](float v) { return (v - lo) / (hi - lo) * float(size); };
  for (int g = -4; g <= 4; g += 2) {
    const int p = int(std::lround(to_px(float(g))));
    canvas.rect(p, 0, p + 1, size, grid);
    canvas.rect(0, p, size, p + 1, grid);
  }
  const float radius = std::max(1.2f, size / 300.0f);
  for (size_t i = 0; i < n; ++i) {
    const float x = xy[2 * i], y = xy[2 * i + 1];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    canvas.disc(to_px(x), float(size) - to_px(y), radius, point, 0.75f);
  }
  canvas.rect(0, 0, size, 1, frame);
  canvas.rect(0, size - 1, size, size, frame);
  canvas.rect(0, 0, 1, size, frame);
  canvas.rect(size - 1, 0, size, size, frame);
  canvas.text(10, 10, title, ink, 2);
  if (!stbi_write_png(path.c_str(), size, size, 3, canvas.rgb.data(), size * 3)) {
    throw std::runtime_error("cannot write image \"" + path + "\"");
  }
}

}  // namespace tinydiff::cli
