// `dskill dif`: Mantel-Haenszel DIF with ETS classes. A thin face over calibrate::mantel_haenszel.
#include <cmath>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/calibrate/bank_output.hpp"
#include "dskill/calibrate/dif.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/response_matrix.hpp"

namespace dskill::cli {
namespace {

struct dif_args {
  std::string responses, groups, reference, focal, matching, out, format = "csv";
  bool purify = false;
};

std::string csvnum(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string(); }

int run(const dif_args& a) {
  const auto m = io::read_response_matrix(a.responses);
  const auto values = calibrate::read_person_values(a.groups);
  std::vector<std::int8_t> group(m.persons(), -1);
  std::size_t nr = 0, nf = 0;
  for (std::size_t p = 0; p < m.persons(); ++p) {
    const auto it = values.find(m.person_ids[p]);
    if (it == values.end()) continue;
    if (it->second == a.reference) group[p] = 0, ++nr;
    else if (a.focal.empty() ? true : it->second == a.focal) group[p] = 1, ++nf;
  }
  if (nr == 0 || nf == 0)
    throw invalid_argument(fmt::format("need persons in both groups: {} in reference '{}', {} in focal", nr, a.reference, nf));
  calibrate::mh_options o;
  o.purify = a.purify;
  if (!a.matching.empty()) {
    std::stringstream ss(a.matching);
    std::string id;
    while (std::getline(ss, id, ',')) {
      const auto it = std::find(m.item_ids.begin(), m.item_ids.end(), id);
      if (it == m.item_ids.end()) throw invalid_argument(fmt::format("--matching: '{}' is not an item of {}", id, a.responses));
      o.matching_items.push_back(static_cast<std::size_t>(it - m.item_ids.begin()));
    }
  }
  const auto res = calibrate::mantel_haenszel(m.cells.data(), m.persons(), m.items(), group, o);
  std::string text;
  if (a.format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i = 0; i < res.size(); ++i) {
      const auto& r = res[i];
      nlohmann::json j{{"item", m.item_ids[i]}, {"tested", r.tested}};
      if (r.tested) {
        j["n_reference"] = r.reference_n;
        j["n_focal"] = r.focal_n;
        j["alpha_mh"] = r.alpha_mh;
        j["mh_d_dif"] = r.delta;
        j["se"] = r.se_delta;
        j["chi_square"] = r.chi_square;
        j["p"] = r.p;
        j["ets_class"] = std::string(calibrate::to_string(r.category)) + r.sign;
      }
      arr.push_back(j);
    }
    text = nlohmann::json{{"reference", a.reference}, {"focal", a.focal}, {"purify", a.purify}, {"items", arr}}.dump(2) + "\n";
  } else if (a.format == "csv") {
    text = "item,n_reference,n_focal,alpha_mh,mh_d_dif,se,chi_square,p,ets_class\n";
    for (std::size_t i = 0; i < res.size(); ++i) {
      const auto& r = res[i];
      if (!r.tested) {
        text += io::csv_escape(m.item_ids[i]) + ",,,,,,,,not tested\n";
        continue;
      }
      text += fmt::format("{},{},{},{},{},{},{},{},{}{}\n", io::csv_escape(m.item_ids[i]), r.reference_n, r.focal_n,
                          csvnum(r.alpha_mh), csvnum(r.delta), csvnum(r.se_delta), csvnum(r.chi_square), csvnum(r.p),
                          calibrate::to_string(r.category), r.sign);
    }
  } else {
    throw invalid_argument(fmt::format("--format: unknown '{}' (csv or json)", a.format));
  }
  if (a.out.empty() || a.out == "-") {
    fmt::print("{}", text);
  } else {
    io::write_file_text(a.out, text);
  }
  return exit_ok;
}

const bool registered = register_command({
    "dif",
    "Mantel-Haenszel DIF of dichotomous items with ETS A/B/C classes",
    [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<dif_args>();
      app.add_option("--responses", a->responses, "wide CSV response file")->required();
      app.add_option("--groups", a->groups, "CSV person_id,group")->required();
      app.add_option("--reference", a->reference, "label of the reference group")->required();
      app.add_option("--focal", a->focal, "label of the focal group (default: every other label)");
      app.add_option("--matching", a->matching, "comma-separated item ids forming the matching score (default: all)");
      app.add_flag("--purify", a->purify, "two-stage purification of the matching score");
      app.add_option("--format", a->format, "csv or json")->capture_default_str();
      app.add_option("--out", a->out, "write here instead of stdout");
      return [a] { return run(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
