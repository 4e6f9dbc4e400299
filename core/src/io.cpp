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

std::vector<float> parse_points_csv(const std::string& text, const std::string& source) {
  std::vector<float> xy;
  std::istringstream lines(text);
  std::string raw;
  size_t line_number = 0;
  bool seen_row = false;
  while (std::getline(lines, raw)) {
    ++line_number;
    if (line_number == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw = raw.substr(3);  // UTF-8 BOM
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = split_fields(line);
    const std::string where = source + " line " + std::to_string(line_number) + ": ";
    double values[2];
    bool numeric = fields.size() == 2 && parse_number(trim(fields[0]), values[0]) &&
                   parse_number(trim(fields[1]), values[1]);
    if (!numeric && !seen_row) {  // the first row may be a header such as "x,y"
      seen_row = true;
      bool has_number = false;
      for (const auto& f : fields) {
        double ignored;
        has_number |= parse_number(trim(f), ignored);
      }
      if (!has_number) continue;
    }
    seen_row = true;
    if (fields.size() != 2) {
      throw IoError(where + "expected 2 columns (x, y), found " + std::to_string(fields.size()));
    }
    for (int k = 0; k < 2; ++k) {
      if (!parse_number(trim(fields[k]), values[k])) {
        throw IoError(where + quoted(trim(fields[k])) + " is not a number");
      }
      if (!std::isfinite(values[k]) || std::fabs(values[k]) > 3.0e38) {
        throw IoError(where + "coordinates must be finite numbers (got " + trim(fields[k]) + ")");
      }
    }
    if (xy.size() / 2 >= size_t(kMaxDatasetSize)) {
      throw IoError(source + " has more than " + std::to_string(kMaxDatasetSize) + " points");
    }
    xy.push_back(float(values[0]));
    xy.push_back(float(values[1]));
  }
  if (xy.empty()) throw IoError(source + " has no points (expected rows of x,y)");
  return xy;
}

std::vector<float> read_points_csv(const std::string& path) {
  return parse_points_csv(read_file(path, "points file"), path);
}

std::string format_points_csv(const float* xy, size_t n) {
  std::string out = "x,y\n";
  char row[64];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(row, sizeof(row), "%.7g,%.7g\n", double(xy[2 * i]), double(xy[2 * i + 1]));
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
