#include "line_chart.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "tinydiff/io.hpp"

namespace tinydiff::cli {
namespace {

const char* const kPalette[] = {"#4f46e5", "#e4572e", "#17a589", "#d4a017", "#b03a9e", "#2e86c1", "#7f5539", "#5f6779"};

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

void write_line_chart_svg(const std::string& path, const LineChart& chart) {
  const double W = 720, H = 440, left = 64, right = 170, top = 56, bottom = 52;
  const double pw = W - left - right, ph = H - top - bottom;
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = 0, y_hi = -x_lo;
  for (const LineSeries& s : chart.series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i]) || (chart.log_x && s.x[i] <= 0)) continue;
      x_lo = std::min(x_lo, s.x[i]);
      x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]);
      y_hi = std::max(y_hi, s.y[i]);
    }
  }
  if (!std::isfinite(x_lo)) x_lo = 1, x_hi = 10, y_hi = 1;
  if (x_hi <= x_lo) x_hi = x_lo * 10;
  if (y_hi <= y_lo) y_hi = y_lo + 1;
  const auto fx = [&](double x) { return chart.log_x ? std::log10(x) : x; };
  const auto X = [&](double x) { return left + (fx(x) - fx(x_lo)) / (fx(x_hi) - fx(x_lo)) * pw; };
  const auto Y = [&](double y) { return top + (1 - (y - y_lo) / (y_hi - y_lo)) * ph; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg << "<text x=\"" << left << "\" y=\"22\" font-size=\"16\">" << escape(chart.title) << "</text>\n";
  svg << "<text x=\"" << left << "\" y=\"40\" fill=\"#5f6779\">" << escape(chart.note) << "</text>\n";
  // Axes and ticks: powers of ten on a log axis, five steps otherwise.
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#c9cdda\"/>\n";
  std::vector<double> xt;
  if (chart.log_x) {
    for (double p = std::ceil(std::log10(x_lo)); p <= std::log10(x_hi) + 1e-9; ++p) xt.push_back(std::pow(10.0, p));
  } else {
    for (int k = 0; k <= 5; ++k) xt.push_back(x_lo + (x_hi - x_lo) * k / 5);
  }
  for (double x : xt) {
    svg << "<line x1=\"" << X(x) << "\" x2=\"" << X(x) << "\" y1=\"" << top << "\" y2=\"" << top + ph
        << "\" stroke=\"#eceef4\"/><text x=\"" << X(x) << "\" y=\"" << top + ph + 16 << "\" text-anchor=\"middle\">"
        << number(x) << "</text>\n";
  }
  for (int k = 0; k <= 4; ++k) {
    const double y = y_lo + (y_hi - y_lo) * k / 4;
    svg << "<line x1=\"" << left << "\" x2=\"" << left + pw << "\" y1=\"" << Y(y) << "\" y2=\"" << Y(y)
        << "\" stroke=\"#eceef4\"/><text x=\"" << left - 6 << "\" y=\"" << Y(y) + 4 << "\" text-anchor=\"end\">"
        << number(std::round(y * 1000) / 1000) << "</text>\n";
  }
  svg << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 12 << "\" text-anchor=\"middle\">" << escape(chart.x_label)
      << "</text>\n<text transform=\"translate(16," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape(chart.y_label) << "</text>\n";
  int legend_row = 0;
  for (const LineSeries& s : chart.series) {
    const char* color = kPalette[size_t(s.color) % (sizeof kPalette / sizeof *kPalette)];
    svg << "<polyline fill=\"none\" stroke=\"" << color << "\""
        << (s.dashed ? " stroke-width=\"1.5\" stroke-dasharray=\"5 4\"" : " stroke-width=\"2\"") << " points=\"";
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (std::isfinite(s.y[i]) && (!chart.log_x || s.x[i] > 0)) svg << X(s.x[i]) << "," << Y(s.y[i]) << " ";
    }
    svg << "\"/>\n";
    const double ly = top + 10 + 18 * legend_row++;
    svg << "<line x1=\"" << left + pw + 12 << "\" x2=\"" << left + pw + 36 << "\" y1=\"" << ly << "\" y2=\"" << ly
        << "\" stroke=\"" << color << "\" stroke-width=\"2\"" << (s.dashed ? " stroke-dasharray=\"5 4\"" : "")
        << "/><text x=\"" << left + pw + 42 << "\" y=\"" << ly + 4 << "\">" << escape(s.label) << "</text>\n";
  }
  svg << "</svg>\n";
  std::ofstream out(path);
  out << svg.str();
  if (!out) throw IoError("cannot write " + path);
}

}  // namespace tinydiff::cli
