// `dskill dif`: Mantel-Haenszel DIF with ETS classes (complete data), or logistic regression on
// an IRT ability with purification (--method lr --bank: incomplete data, polytomous items). A
// thin face over calibrate::mantel_haenszel and calibrate::logistic_dif_purified.
#include <cmath>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/calibrate/bank_output.hpp"
#include "dskill/calibrate/dif.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/response_matrix.hpp"

namespace dskill::cli {
namespace {

struct dif_args {
  std::string responses, groups, reference, focal, matching, out, format = "csv", method = "mh", bank, theta = "eap";
  bool purify = false;
};

std::string csvnum(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string(); }

void emit(const dif_args& a, const std::string& text) {
  if (a.out.empty() || a.out == "-") fmt::print("{}", text);
  else io::write_file_text(a.out, text);
}

// Logistic regression on theta: columns that are bank items are analysed, the others listed.
int run_lr(const dif_args& a, const io::response_matrix& m, const std::vector<std::int8_t>& group) {
  if (a.bank.empty()) throw invalid_argument("--method lr needs --bank (the parameters that give each person's theta)");
  if (!a.matching.empty()) throw invalid_argument("--matching is for --method mh; --method lr matches on theta");
  const auto b = bank::load_bank(a.bank);
  std::vector<std::size_t> cols;
  std::vector<bank::bank_item> items;
  std::vector<std::string> ignored;
  for (std::size_t i = 0; i < m.items(); ++i) {
    if (const auto k = b->find(m.item_ids[i])) {
      cols.push_back(i);
      items.push_back(b->item(*k));
    } else {
      ignored.push_back(m.item_ids[i]);
    }
  }
  if (cols.empty()) throw invalid_argument(fmt::format("no column of {} is an item of {}", a.responses, a.bank));
  if (b->multidimensional())
    throw invalid_argument(fmt::format("{} is a profile (multidimensional) bank: --method lr matches on one theta", a.bank));
  const bank::item_bank sub({.id = b->info().id}, std::move(items));
  std::vector<std::int8_t> cells(m.persons() * cols.size());
  for (std::size_t p = 0; p < m.persons(); ++p)
    for (std::size_t j = 0; j < cols.size(); ++j) cells[p * cols.size() + j] = m.at(p, cols[j]);
  estimate::options eo;
  const auto method = estimate::parse_method(a.theta);
  if (!method || (*method != estimate::method::eap && *method != estimate::method::wle && *method != estimate::method::ml))
    throw invalid_argument(fmt::format("--theta: unknown method '{}' (eap, wle or ml)", a.theta));
  eo.estimator = *method;
  const auto res = calibrate::logistic_dif_purified(cells.data(), m.persons(), sub, group, eo);
  std::size_t tested = 0, flagged = 0;
  for (const auto& r : res.items) tested += r.tested, flagged += r.flagged;
  std::string text;
  if (a.format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t j = 0; j < res.items.size(); ++j) {
      const auto& r = res.items[j];
      nlohmann::json e{{"item", sub.item(j).id}, {"tested", r.tested}, {"n_reference", r.reference_n}, {"n_focal", r.focal_n}};
      if (!r.tested) {
        e["reason"] = r.reason;
      } else {
        e.update({{"categories", r.categories}, {"chi2_uniform", r.chi2_uniform}, {"p_uniform", r.p_uniform},
                  {"chi2_nonuniform", r.chi2_nonuniform}, {"p_nonuniform", r.p_nonuniform}, {"chi2_total", r.chi2_total},
                  {"p_total", r.p_total}, {"r2_change", r.r2_change}, {"beta_change", r.beta_change},
                  {"group_effect", r.group_effect}, {"flagged", r.flagged},
                  {"effect", std::string(calibrate::to_string(r.effect))}, {"in_matching", bool(res.matching[j])}});
      }
      arr.push_back(e);
    }
    nlohmann::json j{{"method", "logistic regression on theta (purified)"}, {"theta", a.theta}, {"reference", a.reference},
                     {"focal", a.focal}, {"rounds", res.rounds}, {"converged", res.converged}, {"tested", tested},
                     {"flagged", flagged}, {"items", arr}};
    if (!ignored.empty()) j["columns_not_in_bank"] = ignored;
    text = j.dump(2) + "\n";
  } else if (a.format == "csv") {
    text = "item,n_reference,n_focal,categories,chi2_uniform,p_uniform,chi2_nonuniform,p_nonuniform,chi2_total,p_total,"
           "r2_change,beta_change,group_effect,flagged,effect\n";
    for (std::size_t j = 0; j < res.items.size(); ++j) {
      const auto& r = res.items[j];
      if (!r.tested) {
        text += fmt::format("{},{},{},,,,,,,,,,,,not tested\n", io::csv_escape(sub.item(j).id), r.reference_n, r.focal_n);
        continue;
      }
      text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", io::csv_escape(sub.item(j).id), r.reference_n,
                          r.focal_n, r.categories, csvnum(r.chi2_uniform), csvnum(r.p_uniform), csvnum(r.chi2_nonuniform),
                          csvnum(r.p_nonuniform), csvnum(r.chi2_total), csvnum(r.p_total), csvnum(r.r2_change),
                          csvnum(r.beta_change), csvnum(r.group_effect), r.flagged ? 1 : 0, calibrate::to_string(r.effect));
    }
  } else {
    throw invalid_argument(fmt::format("--format: unknown '{}' (csv or json)", a.format));
  }
  emit(a, text);
  if (!ignored.empty())
    fmt::print(stderr, "dskill dif: warning: {} columns are not items of {} and were not analysed\n", ignored.size(), a.bank);
  if (!res.converged) fmt::print(stderr, "dskill dif: warning: purification stopped after {} rounds\n", res.rounds);
  if (tested < res.items.size())
    fmt::print(stderr, "dskill dif: warning: {} of {} items could not be tested (see their rows)\n",
               res.items.size() - tested, res.items.size());
  return tested == 0 ? exit_bad_input : exit_ok;
}


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
  if (a.method == "lr") return run_lr(a, m, group);
  if (a.method != "mh") throw invalid_argument(fmt::format("--method: unknown '{}' (mh or lr)", a.method));
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
  emit(a, text);
  // Nothing lost silently: untested items are said, and none tested is an error.
  std::size_t tested = 0;
  for (const auto& r : res) tested += r.tested;
  if (tested < res.size())
    fmt::print(stderr,
               "dskill dif: warning: {} of {} items could not be tested: Mantel-Haenszel takes dichotomous items and "
               "persons who answered every matching item; for incomplete data or polytomous items use --method lr "
               "--bank BANK\n",
               res.size() - tested, res.size());
  return tested == 0 ? exit_bad_input : exit_ok;
}

const bool registered = register_command({
    "dif",
    "DIF: Mantel-Haenszel with ETS A/B/C classes, or logistic regression on theta (--method lr)",
    [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<dif_args>();
      app.add_option("--responses", a->responses, "wide CSV response file")->required();
      app.add_option("--groups", a->groups, "CSV person_id,group")->required();
      app.add_option("--reference", a->reference, "label of the reference group")->required();
      app.add_option("--focal", a->focal, "label of the focal group (default: every other label)");
      app.add_option("--matching", a->matching, "comma-separated item ids forming the matching score (default: all)");
      app.add_flag("--purify", a->purify, "mh: two-stage purification of the matching score");
      app.add_option("--method", a->method,
                     "mh (Mantel-Haenszel on the total score, complete data) or lr (ordinal logistic regression on "
                     "theta, purified; incomplete data and polytomous items; needs --bank)")
          ->capture_default_str();
      app.add_option("--bank", a->bank, "lr: the item bank whose parameters give each person's theta");
      app.add_option("--theta", a->theta, "lr: eap, wle or ml")->capture_default_str();
      app.add_option("--format", a->format, "csv or json")->capture_default_str();
      app.add_option("--out", a->out, "write here instead of stdout");
      return [a] { return run(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
