// Line charts as SVG files: curves over a (log or linear) x axis, such as
// the share of copies against training steps, one curve per training-set size.
#pragma once

#include <string>
#include <vector>

namespace tinydiff::cli {

struct LineSeries {
  std::string label;
  std::vector<double> x, y;  // NaN y: a gap
  bool dashed = false;
  int color = 0;  // index into the chart's palette (a series and its dashed twin share one)
};

struct LineChart {
  std::string title, note, x_label, y_label;
  bool log_x = true;
  std::vector<LineSeries> series;
};

// Throws tinydiff::IoError when the file cannot be written.
void write_line_chart_svg(const std::string& path, const LineChart& chart);

}  // namespace tinydiff::cli
