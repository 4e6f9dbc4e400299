#include "tinydiff/io.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tinydiff/dataset.hpp"

namespace tinydiff {
namespace {

bool is_separator(char c) { return c == ',' || c == ';' || c == '\t' || c == ' '; }

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

// Fields split on a comma, semicolon or tab; runs of spaces also separate.
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::string current;
  bool pending_space = false;
  for (char c : line) {
    if (c == ' ') {
      pending_space = true;
      continue;
    }
    if (is_separator(c)) {  // , ; tab: always ends a field
      fields.push_back(current);
      current.clear();
      pending_space = false;
      continue;
    }
    if (pending_space && !current.empty()) {
      fields.push_back(current);
      current.clear();
    }
    pending_space = false;
    current += c;
  }
  fields.push_back(current);
  return fields;
}

bool parse_number(const std::string& field, double& value) {
  if (field.empty() || field.size() > 64) return false;
  const char* begin = field.c_str();
  char* end = nullptr;
  errno = 0;
  value = std::strtod(begin, &end);
  return end == begin + field.size();
}

std::string quoted(const std::string& s) {
  std::string out = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return "\"" + out + "\"";
}

std::string read_file(const std::string& path, const char* what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw IoError("cannot read " + std::string(what) + " \"" + path + "\": it is a folder");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + std::string(what) + " \"" + path + "\": " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("cannot read \"" + path + "\" (is it a folder?)");
  return buffer.str();
}

}  // namespace

namespace {

// Whether a row that is not all numbers is the header ("x,y", "x,y,label"):
// only the first row may be, and only when it holds no number at all.
bool is_header(const std::vector<std::string>& fields) {
  for (const auto& f : fields) {
    double ignored;
    if (parse_number(trim(f), ignored)) return false;
  }
  return true;
}

bool all_numbers(const std::vector<std::string>& fields) {
  bool numeric = fields.size() == 2 || fields.size() == 3;
  for (const auto& f : fields) {
    double ignored;
    numeric = numeric && parse_number(trim(f), ignored);
  }
  return numeric;
}

// The row's x and y, finite and within float range.
void read_coordinates(const std::vector<std::string>& fields, const std::string& where, double (&values)[2]) {
  for (int k = 0; k < 2; ++k) {
    if (!parse_number(trim(fields[k]), values[k])) throw IoError(where + quoted(trim(fields[k])) + " is not a number");
    if (!std::isfinite(values[k]) || std::fabs(values[k]) > 3.0e38) {
      throw IoError(where + "coordinates must be finite numbers (got " + trim(fields[k]) + ")");
    }
  }
}

// A class number 0..kMaxLabel, written as an integer.
int read_label(const std::string& text, const std::string& where) {
  const std::string field = trim(text);
  double label = 0;
  const bool integer =
      parse_number(field, label) && label == std::floor(label) && field.find_first_of(".eE") == std::string::npos;
  if (!integer || label < 0 || label > kMaxLabel) {
    throw IoError(where + "the label " + quoted(field) + " must be a class number from 0 to " + std::to_string(kMaxLabel));
  }
  return int(label);
}

}  // namespace

PointSet parse_points_csv(const std::string& text, const std::string& source) {
  PointSet points;
  std::istringstream lines(text);
  std::string raw;
  size_t line_number = 0, first_row_line = 0;
  size_t columns = 0;  // of the first data row: 2 (x, y) or 3 (x, y, label)
  bool seen_row = false;
  while (std::getline(lines, raw)) {
    ++line_number;
    if (line_number == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw = raw.substr(3);  // UTF-8 BOM
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = split_fields(line);
    const std::string where = source + " line " + std::to_string(line_number) + ": ";
    const bool header = !seen_row && !all_numbers(fields) && is_header(fields);
    seen_row = true;
    if (header) continue;
    if (columns == 0) {
      if (fields.size() != 2 && fields.size() != 3) {
        throw IoError(where + "expected 2 columns (x, y) or 3 (x, y, label), found " + std::to_string(fields.size()));
      }
      columns = fields.size();
      first_row_line = line_number;
    } else if (fields.size() != columns) {
      throw IoError(where + "expected " + std::to_string(columns) +
                    (columns == 3 ? " columns (x, y, label)" : " columns (x, y)") + " as on line " +
                    std::to_string(first_row_line) + ", found " + std::to_string(fields.size()) +
                    (columns == 3 ? ": a label on some rows only" : ""));
    }
    double values[2];
    read_coordinates(fields, where, values);
    if (points.size() >= size_t(kMaxDatasetSize)) {
      throw IoError(source + " has more than " + std::to_string(kMaxDatasetSize) + " points");
    }
    if (columns == 3) points.labels.push_back(read_label(fields[2], where));
    points.xy.push_back(float(values[0]));
    points.xy.push_back(float(values[1]));
  }
  if (points.xy.empty()) throw IoError(source + " has no points (expected rows of x,y or x,y,label)");
  return points;
}

PointSet read_points_csv(const std::string& path) {
  return parse_points_csv(read_file(path, "points file"), path);
}

std::string format_points_csv(const float* xy, size_t n, const int* labels) {
  std::string out = labels ? "x,y,label\n" : "x,y\n";
  char row[80];
  for (size_t i = 0; i < n; ++i) {
    if (labels) std::snprintf(row, sizeof(row), "%.7g,%.7g,%d\n", double(xy[2 * i]), double(xy[2 * i + 1]), labels[i]);
    else std::snprintf(row, sizeof(row), "%.7g,%.7g\n", double(xy[2 * i]), double(xy[2 * i + 1]));
    out += row;
  }
  return out;
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw IoError("cannot write \"" + path + "\"");
}

void write_binary_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw IoError("cannot write \"" + path + "\"");
}

void write_npy(const std::string& path, const float* data, const std::vector<size_t>& shape) {
  std::string dims;
  size_t count = 1;
  for (size_t d : shape) {
    dims += std::to_string(d) + ", ";
    count *= d;
  }
  if (shape.size() > 1) dims.resize(dims.size() - 2);  // "(a, b)" but "(a,)"
  else if (!shape.empty()) dims.resize(dims.size() - 1);
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t preamble = 10;  // magic (6) + version (2) + header length (2)
  header.append(64 - (preamble + header.size() + 1) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += char(1);
  bytes += char(0);
  bytes += char(header.size() & 0xff);
  bytes += char(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(data), count * sizeof(float));  // little-endian hosts
  write_text_file(path, bytes);
}

std::vector<uint8_t> read_binary_file(const std::string& path, const char* what) {
  const std::string text = read_file(path, what);
  return std::vector<uint8_t>(text.begin(), text.end());
}

}  // namespace tinydiff
