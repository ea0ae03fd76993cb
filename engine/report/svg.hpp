// SVG chart primitives for the HTML report: nice axis ticks, linear scales,
// a chart with a fixed viewBox (text, lines, rectangles, axes, legend),
// horizontal bar charts with 95% whiskers, and the figure + table wrapper
// that puts each chart's numbers beneath it.
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "report/html_format.hpp"

namespace pk::html {

// "Nice" axis ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int target = 5, bool integer = false);

// Ticks at 1, 2 and 5 times the powers of ten in [lo, hi] (both > 0); only
// the powers of ten when the range spans more than two decades.
std::vector<double> log_ticks(double lo, double hi);

struct Scale {
  double d0 = 0, d1 = 1, p0 = 0, p1 = 1;
  bool integer = false;  // ticks on whole numbers only (counts)
  bool log = false;      // logarithmic (d0 > 0)
  double operator()(double v) const {
    if (log) return p0 + std::log10(v / d0) / std::log10(d1 / d0) * (p1 - p0);
    return p0 + (v - d0) / (d1 - d0) * (p1 - p0);
  }
};

// The width a text of `chars` characters takes in the report's SVG font at
// 11.5 px (tick labels, notes); bold titles take about 1.2 times as much.
inline double text_width(size_t chars) {
  return 6.6 * static_cast<double>(chars);
}

// An SVG chart: a fixed viewBox, scaled to the page width.
struct Svg {
  double w = 760, h = 300;
  std::string id, title, body;

  void text(double x, double y, const std::string& s, const std::string& attrs = "");
  // A tick-sized label centred on x, moved inwards when it would cross an edge.
  void centred_label(double x, double y, const std::string& s);
  void line(double x1, double y1, double x2, double y2, const std::string& attrs);
  void rect(double x, double y, double rw, double rh, const std::string& attrs);
  // Title at the top, centred.
  void heading();
  // A horizontal axis at y with ticks and a label below.
  void x_axis(const Scale& s, double y, const std::string& label, bool grid_up = false,
              double grid_top = 0);
  // A vertical axis at x with ticks and a rotated label on the left.
  void y_axis(const Scale& s, double x, const std::string& label, double grid_right = 0);
  // Legend entries in rows from y, starting at x; the chart grows to hold them.
  void legend(double x, double y, const std::vector<std::pair<std::string, std::string>>& items,
              bool lines = false);
  std::string str() const;
};

// The left margin that fits the longest of `labels` (at least 4 characters):
// at most `cap`, unless a label needs more, when the chart `svg` is widened by
// the excess so that no label is clipped and the plot keeps its width.
double label_margin(const std::vector<std::string>& labels, double cap, Svg& svg);

// A table: header cells and rows of cells (already escaped HTML).
std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::string& cls = "num");

// A chart with its caption, and its numbers beneath it.
std::string figure(const Svg& svg, const std::string& caption, const std::string& numbers);

// Horizontal bars from zero with 95% whiskers; one row per item.
struct BarRow {
  std::string label;
  double value = 0;
  double lo = kNaN, hi = kNaN;  // hi = +inf: unbounded above
  std::string colour;
  std::string note;  // printed right of the row
  std::string series;
};

// With `log`, a logarithmic axis (every value and finite end > 0) whose bars
// start at its left end.
Svg hbar_chart(const std::string& id, const std::string& title, const std::string& xlabel,
               const std::vector<BarRow>& rows, bool log = false);

}  // namespace pk::html
