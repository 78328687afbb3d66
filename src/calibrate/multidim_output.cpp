// The estimates of a multidimensional calibration as CSV (slope-intercept form, logit scale).
#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "dskill/calibrate/multidim.hpp"
#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/file_text.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::multidim {

void write_params_csv(const std::string& path, const result& res, std::span<const std::string> item_ids) {
  if (item_ids.size() != res.items.size()) throw invalid_argument("write_params_csv needs one id per item");
  std::size_t nd = 1;
  for (const auto& e : res.items) nd = std::max(nd, e.item.params.intercepts.size());
  std::ostringstream out;
  auto header = [&](const char* prefix) {
    for (const auto& n : res.names) out << ',' << prefix << "a_" << io::csv_escape(n);
    for (std::size_t k = 1; k <= nd; ++k) out << ',' << prefix << 'd' << k;
    out << ',' << prefix << "c," << prefix << 'u';
  };
  out << "item,model";
  header("");
  header("se_");
  out << '\n';
  auto v = [](double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : std::string(); };
  for (std::size_t i = 0; i < res.items.size(); ++i) {
    const auto& e = res.items[i];
    const auto& p = e.item.params;
    const bool asym = p.kind == irt::model::three_pl || p.kind == irt::model::four_pl;
    out << io::csv_escape(item_ids[i]) << ',' << irt::to_string(p.kind);
    for (double a : e.item.slopes) out << ',' << v(a);
    for (std::size_t k = 0; k < nd; ++k) out << ',' << (k < p.intercepts.size() ? v(p.intercepts[k]) : "");
    out << ',' << (asym ? v(p.lower) : "") << ',' << (p.kind == irt::model::four_pl ? v(p.upper) : "");
    for (double s : e.se_slopes) out << ',' << v(s);
    for (std::size_t k = 0; k < nd; ++k) out << ',' << (k < e.se_intercepts.size() ? v(e.se_intercepts[k]) : "");
    out << ',' << v(e.se_lower) << ',' << v(e.se_upper) << '\n';
  }
  io::write_file_text(path, out.str());
}

}  // namespace calibrate::multidim
DSKILL_END_NAMESPACE
