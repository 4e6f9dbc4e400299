// Scatter plots of 2D points as PNG files, in the reference's [-6, 6]^2 frame.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinydiff::cli {

// An RGB picture, 3 bytes a pixel, row by row.
struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
};

// A size x size scatter plot: light grid every 2 units, a frame, the points,
// and `title` in the top-left corner.
Image scatter_image(const float* xy, size_t n, const std::string& title, int size = 512);
// The same as a PNG file. Throws std::runtime_error on failure.
void write_scatter_png(const std::string& path, const float* xy, size_t n,
                       const std::string& title, int size = 512);

// A grid of scatter plots, like the reference's ablation figures: one row per
// value of a hyperparameter, one column per checkpoint.
struct GridFigure {
  std::string title;
  std::string note;  // a line under the title
  std::vector<std::string> row_labels, column_labels;
  // cells[row * columns + column]: interleaved points (empty: nothing to show)
  // and a caption drawn in the cell's corner (e.g. its score).
  std::vector<std::vector<float>> cells;
  std::vector<std::string> captions;
  float lo = -4.5, hi = 4.5;  // the square every cell shows (the line reaches y = ±4)
};

// Writes the figure as an SVG (labels as text) and as a PNG of the same layout.
// Throws std::runtime_error (tinydiff::IoError for the SVG) when a file cannot
// be written.
void write_grid_svg(const std::string& path, const GridFigure& figure);
void write_grid_png(const std::string& path, const GridFigure& figure);

}  // namespace tinydiff::cli
