#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#include <stb/stb_easy_font.h>

#include "tinydiff/io.hpp"

namespace tinydiff::cli {
namespace {

struct Canvas {
  int width, height;
  std::vector<uint8_t> rgb;
  Canvas(int w, int h) : width(w), height(h), rgb(size_t(w) * size_t(h) * 3, 255) {}

  // Alpha-blend a colour into one pixel.
  void blend(int x, int y, const uint8_t c[3], float alpha) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    uint8_t* p = &rgb[(size_t(y) * size_t(width) + size_t(x)) * 3];
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
  static int text_width(const std::string& s) {
    std::string copy = s;
    return stb_easy_font_width(copy.data());
  }
  void save_png(const std::string& path) const {
    stbi_write_png_compression_level = 9;
    if (!stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3)) {
      throw std::runtime_error("cannot write image \"" + path + "\"");
    }
  }
  void text(int x, int y, const std::string& s, const uint8_t c[3], int scale) {
    std::vector<char> buffer(s.size() * 1024 + 1024);  // quads of 64 bytes, up to ~16 a glyph
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

Image scatter_image(const float* xy, size_t n, const std::string& title, int size) {
  Canvas canvas(size, size);
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
  return {canvas.width, canvas.height, std::move(canvas.rgb)};
}

void write_scatter_png(const std::string& path, const float* xy, size_t n,
                       const std::string& title, int size) {
  const Image image = scatter_image(xy, n, title, size);
  stbi_write_png_compression_level = 9;
  if (!stbi_write_png(path.c_str(), image.width, image.height, 3, image.rgb.data(), image.width * 3)) {
    throw std::runtime_error("cannot write image \"" + path + "\"");
  }
}

namespace {

// Shared layout of the SVG and the PNG, in pixels.
struct GridLayout {
  int cell = 112, gap = 6, left = 128, top = 64, bottom = 12, right = 12;
  int columns, rows;
  GridLayout(const GridFigure& f) : columns(int(f.column_labels.size())), rows(int(f.row_labels.size())) {
    if (columns < 1 || rows < 1 || f.cells.size() != size_t(columns) * size_t(rows) ||
        f.captions.size() != f.cells.size()) {
      throw std::runtime_error("grid figure: cells do not match the labels");
    }
  }
  int min_width = 0;  // room for the title and the note
  int width() const { return std::max(min_width, left + columns * (cell + gap) - gap + right); }
  int height() const { return top + rows * (cell + gap) - gap + bottom; }
  int cell_x(int c) const { return left + c * (cell + gap); }
  int cell_y(int r) const { return top + r * (cell + gap); }
};

std::string escape_xml(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

void write_grid_svg(const std::string& path, const GridFigure& f) {
  GridLayout L(f);
  L.min_width = int(f.note.size()) * 6 + 36;  // ~6 px a character at 11 px
  const float span = f.hi - f.lo;
  std::string svg;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "font-family=\"Helvetica, Arial, sans-serif\">\n",
                L.width(), L.height(), L.width(), L.height());
  svg += buf;
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  svg += "<text x=\"12\" y=\"24\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">" + escape_xml(f.title) + "</text>\n";
  if (!f.note.empty()) svg += "<text x=\"12\" y=\"42\" font-size=\"11\" fill=\"#666\">" + escape_xml(f.note) + "</text>\n";
  for (int c = 0; c < L.columns; ++c) {
    std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">",
                  L.cell_x(c) + L.cell / 2, L.top - 6);
    svg += buf + escape_xml(f.column_labels[size_t(c)]) + "</text>\n";
  }
  for (int r = 0; r < L.rows; ++r) {
    std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#333\">",
                  L.left - 8, L.cell_y(r) + L.cell / 2 + 4);
    svg += buf + escape_xml(f.row_labels[size_t(r)]) + "</text>\n";
    for (int c = 0; c < L.columns; ++c) {
      const size_t k = size_t(r) * size_t(L.columns) + size_t(c);
      const int x0 = L.cell_x(c), y0 = L.cell_y(r);
      std::snprintf(buf, sizeof buf, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f7f8fb\" stroke=\"#c8ccd6\"/>\n",
                    x0, y0, L.cell, L.cell);
      svg += buf;
      // One path per cell, a zero-length round-capped segment per point:
      // about 14 bytes a point instead of ~50 for a <circle>.
      std::string d;
      const std::vector<float>& xy = f.cells[k];
      for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        const float x = xy[i], y = xy[i + 1];
        if (!std::isfinite(x) || !std::isfinite(y) || x < f.lo || x > f.hi || y < f.lo || y > f.hi) continue;
        std::snprintf(buf, sizeof buf, "M%.1f %.1fh0", x0 + (x - f.lo) / span * L.cell,
                      y0 + (f.hi - y) / span * L.cell);
        d += buf;
      }
      if (!d.empty()) {
        svg += "<path fill=\"none\" stroke=\"#1f77b4\" stroke-opacity=\"0.75\" stroke-width=\"1.6\" stroke-linecap=\"round\" d=\"" + d + "\"/>\n";
      }
      if (!f.captions[k].empty()) {
        std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">",
                      x0 + L.cell - 4, y0 + L.cell - 5);
        svg += buf + escape_xml(f.captions[k]) + "</text>\n";
      }
    }
  }
  svg += "</svg>\n";
  write_text_file(path, svg);
}

void write_grid_png(const std::string& path, const GridFigure& f) {
  GridLayout L(f);
  L.min_width = std::max(2 * Canvas::text_width(f.title), Canvas::text_width(f.note)) + 36;
  Canvas canvas(L.width(), L.height());
  const uint8_t cell_bg[3] = {247, 248, 251}, border[3] = {200, 204, 214}, point[3] = {31, 119, 180},
                ink[3] = {34, 34, 34}, soft[3] = {100, 100, 100};
  const float span = f.hi - f.lo;
  canvas.text(12, 10, f.title, ink, 2);
  if (!f.note.empty()) canvas.text(12, 32, f.note, soft, 1);
  for (int c = 0; c < L.columns; ++c) {
    const std::string& label = f.column_labels[size_t(c)];
    canvas.text(L.cell_x(c) + L.cell / 2 - Canvas::text_width(label) / 2, L.top - 14, label, ink, 1);
  }
  for (int r = 0; r < L.rows; ++r) {
    const std::string& label = f.row_labels[size_t(r)];
    canvas.text(L.left - 8 - Canvas::text_width(label), L.cell_y(r) + L.cell / 2 - 4, label, ink, 1);
    for (int c = 0; c < L.columns; ++c) {
      const size_t k = size_t(r) * size_t(L.columns) + size_t(c);
      const int x0 = L.cell_x(c), y0 = L.cell_y(r);
      canvas.rect(x0, y0, x0 + L.cell, y0 + L.cell, border);
      canvas.rect(x0 + 1, y0 + 1, x0 + L.cell - 1, y0 + L.cell - 1, cell_bg);
      const std::vector<float>& xy = f.cells[k];
      for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        const float x = xy[i], y = xy[i + 1];
        if (!std::isfinite(x) || !std::isfinite(y) || x < f.lo || x > f.hi || y < f.lo || y > f.hi) continue;
        // Solid 2x2 dots: few distinct colours keep the PNG small (docs check it in).
        const int px = int(x0 + (x - f.lo) / span * L.cell), py = int(y0 + (f.hi - y) / span * L.cell);
        canvas.rect(px, py, px + 2, py + 2, point);
      }
      const std::string& caption = f.captions[k];
      if (!caption.empty()) canvas.text(x0 + L.cell - 8 - Canvas::text_width(caption), y0 + L.cell - 11, caption, soft, 1);
    }
  }
  canvas.save_png(path);
}

}  // namespace tinydiff::cli
