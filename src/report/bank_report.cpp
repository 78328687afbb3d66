// dskill::report: the item bank report (see include/dskill/report/report.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "common.hpp"
#include "dskill/error.hpp"
#include "dskill/report/report.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {

format parse_format(std::string_view text) {
  if (text == "html") return format::html;
  if (text == "json") return format::json;
  throw invalid_argument(fmt::format("unknown report format '{}' (html or json)", text));
}

namespace {
using detail::json;

struct area_info {
  std::string id, name;
  std::vector<std::size_t> items;  // indices of items in the information set
  std::vector<double> info;
};

// The area of an item: its own (filled from a framework at load), else the framework's area of
// its first competence, else the part of the competence id before the first '.', else "".
std::string area_of(const bank::bank_item& it, const framework::framework* fw) {
  if (!it.area.empty()) return it.area;
  if (it.competences.empty()) return {};
  if (fw)
    if (auto a = fw->area_index_of(it.competences.front())) return fw->areas()[*a].id;
  const auto& c = it.competences.front();
  const auto dot = c.find('.');
  return dot == std::string::npos ? c : c.substr(0, dot);
}

}  // namespace

std::string bank_report(const bank::item_bank& bank, const framework::framework* fw, const bank_report_options& o,
                        format f) {
  if (!(o.theta_step > 0) || !(o.theta_hi > o.theta_lo) || (o.theta_hi - o.theta_lo) / o.theta_step > 100000)
    throw invalid_argument(fmt::format("theta grid {}:{}:{} is not a range with a positive step (at most 100,000 points)",
                                       o.theta_lo, o.theta_hi, o.theta_step));
  const auto& items = bank.items();
  const std::size_t n = items.size();
  const auto thetas = detail::grid(o.theta_lo, o.theta_hi, o.theta_step);
  const std::string lang = o.language;

  // Which items enter the information curves.
  std::vector<bool> in_info(n, false);
  std::size_t n_info = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::find(o.statuses.begin(), o.statuses.end(), items[i].status) != o.statuses.end()) {
      in_info[i] = true;
      ++n_info;
    }
  const bool all_items_fallback = n_info == 0;
  if (all_items_fallback) {
    in_info.assign(n, true);
    n_info = n;
  }
  std::string status_text;
  for (auto s : o.statuses) status_text += (status_text.empty() ? "" : ", ") + std::string(bank::to_string(s));
  const std::string info_set = all_items_fallback ? "all items (the bank has none with status " + status_text + ")"
                                                  : "items with status " + status_text;

  // Areas: the framework's order first, then any others in order of appearance.
  std::vector<area_info> areas;
  std::map<std::string, std::size_t> area_pos;
  if (fw)
    for (const auto& a : fw->areas()) {
      area_pos[a.id] = areas.size();
      areas.push_back({a.id, std::string(a.name.get(lang)), {}, {}});
    }
  std::vector<std::size_t> item_area(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string a = area_of(items[i], fw);
    auto it = area_pos.find(a);
    if (it == area_pos.end()) {
      it = area_pos.emplace(a, areas.size()).first;
      areas.push_back({a, a.empty() ? "(no area)" : a, {}, {}});
    }
    item_area[i] = it->second;
    if (in_info[i]) areas[it->second].items.push_back(i);
  }

  // Information: one bank sweep per theta, summed per area.
  std::vector<double> tif(thetas.size(), 0.0), per_item(n);
  for (auto& a : areas) a.info.assign(thetas.size(), 0.0);
  for (std::size_t t = 0; t < thetas.size(); ++t) {
    bank.information_at(thetas[t], per_item);
    for (std::size_t i = 0; i < n; ++i) {
      if (!in_info[i]) continue;
      tif[t] += per_item[i];
      areas[item_area[i]].info[t] += per_item[i];
    }
  }
  const auto se_of = [](const std::vector<double>& info) {
    std::vector<double> se(info.size());
    for (std::size_t k = 0; k < info.size(); ++k)
      se[k] = info[k] > 0 ? 1.0 / std::sqrt(info[k]) : std::numeric_limits<double>::infinity();
    return se;
  };
  const auto se = se_of(tif);

  // Items for the ICCs.
  std::vector<std::size_t> icc_items;
  for (const auto& id : o.icc_items) {
    const auto k = bank.find(id);
    if (!k) throw invalid_argument(fmt::format("item '{}' (for the ICCs) is not in bank '{}'", id, bank.info().id));
    icc_items.push_back(*k);
  }
  if (o.icc_items.empty() && n > 0) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i)
      if (in_info[i] && std::isfinite(bank.difficulties()[i])) order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return bank.difficulties()[a] < bank.difficulties()[b]; });
    const std::size_t k = std::min(o.icc_count, order.size());
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t pos = k == 1 ? order.size() / 2 : j * (order.size() - 1) / (k - 1);
      icc_items.push_back(order[pos]);
    }
    icc_items.erase(std::unique(icc_items.begin(), icc_items.end()), icc_items.end());
  }

  // Difficulties and cut scores.
  std::vector<double> bs(bank.difficulties().begin(), bank.difficulties().end());
  std::vector<double> cuts;
  if (fw) cuts.assign(fw->overall_cut_scores().begin(), fw->overall_cut_scores().end());
  const int n_levels = fw ? fw->level_count() : 0;
  int max_level = n_levels;
  for (const auto& it : items) max_level = std::max(max_level, it.level);
  const auto b_level = [&](double b) {
    if (!fw || !std::isfinite(b)) return 0;
    return fw->level_overall(b);
  };

  // Counts.
  std::map<std::string, std::size_t> by_status, by_model;
  std::map<std::string, std::size_t> by_competence;
  std::vector<std::size_t> by_level(static_cast<std::size_t>(max_level) + 1, 0);
  std::vector<std::size_t> by_b_level(static_cast<std::size_t>(std::max(n_levels, 0)) + 1, 0);
  std::vector<std::vector<std::size_t>> area_level(areas.size(), std::vector<std::size_t>(by_level.size(), 0));
  std::vector<std::array<std::size_t, 3>> area_status(areas.size(), {0, 0, 0});
  std::vector<std::vector<std::size_t>> intended_vs_b(by_level.size(), std::vector<std::size_t>(by_b_level.size(), 0));
  std::vector<double> level_b_sum(by_level.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = items[i];
    ++by_status[std::string(bank::to_string(it.status))];
    ++by_model[std::string(irt::to_string(it.params.kind))];
    for (const auto& c : it.competences) ++by_competence[c];
    if (it.competences.empty()) ++by_competence["(none)"];
    const auto lv = static_cast<std::size_t>(std::max(0, it.level));
    ++by_level[lv];
    ++area_level[item_area[i]][lv];
    ++area_status[item_area[i]][static_cast<std::size_t>(it.status)];
    const auto bl = static_cast<std::size_t>(b_level(bs[i]));
    if (fw) {
      ++by_b_level[bl];
      ++intended_vs_b[lv][bl];
    }
    if (std::isfinite(bs[i])) level_b_sum[lv] += bs[i];
  }

  const std::string title = o.title.empty() ? "Item bank report: " + bank.info().id : o.title;
  const auto hist = make_histogram(bs, 0.25);

  if (f == format::json) {
    json j;
    j["report"] = "bank";
    j["bank"] = {{"id", bank.info().id},
                 {"title", bank.info().title},
                 {"version", bank.info().version},
                 {"fingerprint", bank.fingerprint()},
                 {"items", n},
                 {"scaling_d", bank.scaling()}};
    j["framework"] = fw ? json{{"id", fw->id()}, {"version", fw->version()}} : json(nullptr);
    j["information_items"] = n_info;
    j["information_set"] = info_set;
    j["theta"] = detail::nums(thetas);
    j["information"] = detail::nums(tif);
    j["se"] = detail::nums(se);
    json ja = json::array();
    for (const auto& a : areas) {
      if (a.items.empty()) continue;
      ja.push_back({{"id", a.id}, {"name", a.name}, {"items", a.items.size()}, {"information", detail::nums(a.info)},
                    {"se", detail::nums(se_of(a.info))}});
    }
    j["areas"] = ja;
    json ji = json::array();
    for (auto i : icc_items)
      ji.push_back({{"id", items[i].id}, {"model", std::string(irt::to_string(items[i].params.kind))},
                    {"b", detail::num(bs[i])}, {"curve", detail::nums(detail::icc(items[i].params, thetas))}});
    j["icc"] = ji;
    j["difficulty_histogram"] = {{"edges", detail::nums(hist.edges)}, {"counts", detail::nums(hist.counts)}};
    j["cut_scores"] = detail::nums(cuts);
    json counts;
    counts["status"] = by_status;
    counts["model"] = by_model;
    counts["competence"] = by_competence;
    json lv = json::object();
    for (std::size_t l = 0; l < by_level.size(); ++l)
      if (by_level[l]) lv[l == 0 ? "none" : std::to_string(l)] = by_level[l];
    counts["level"] = lv;
    json ar = json::object();
    for (std::size_t a = 0; a < areas.size(); ++a) {
      std::size_t total = 0;
      for (auto c : area_level[a]) total += c;
      if (total) ar[areas[a].id] = total;
    }
    counts["area"] = ar;
    j["counts"] = counts;
    if (fw) {
      json rows = json::array();
      for (int l = 1; l <= n_levels; ++l) {
        const auto L = static_cast<std::size_t>(l);
        json per_area = json::object();
        for (std::size_t a = 0; a < areas.size(); ++a)
          if (L < area_level[a].size()) per_area[areas[a].id] = area_level[a][L];
        rows.push_back({{"level", l},
                        {"from", l == 1 ? json(nullptr) : detail::num(cuts[L - 2])},
                        {"to", L - 1 < cuts.size() ? detail::num(cuts[L - 1]) : json(nullptr)},
                        {"intended", L < by_level.size() ? by_level[L] : 0},
                        {"difficulty_in_band", by_b_level[L]},
                        {"per_area", per_area}});
      }
      j["levels"] = rows;
    }
    return j.dump(2) + "\n";
  }

  // ---- HTML ----
  html_document doc(title);
  const auto& info = bank.info();
  doc.fact("Bank", info.id + (info.title.empty() ? "" : " — " + info.title));
  if (!info.version.empty()) doc.fact("Version", info.version);
  doc.fact("Fingerprint", bank.fingerprint());
  doc.fact("Items", std::to_string(n));
  doc.fact("Scale", fmt::format("D = {}{}", bank.scaling(), info.param_form.empty() ? "" : ", " + info.param_form + " form"));
  if (fw) doc.fact("Framework", fmt::format("{} {} — {}", fw->id(), fw->version(), fw->title().get(lang)));
  else if (!info.framework_id.empty())
    doc.fact("Framework", fmt::format("{} {} (not loaded: pass --framework for areas, levels and cut scores)",
                                      info.framework_id, info.framework_version));
  if (!info.provenance.empty()) {
    std::string p = info.provenance.method;
    if (info.provenance.sample) p += fmt::format(", sample {}", *info.provenance.sample);
    if (!info.provenance.date.empty()) p += ", " + info.provenance.date;
    if (!info.provenance.data.empty()) p += ", " + info.provenance.data + " data";
    doc.fact("Calibration", p);
  }

  doc.section("summary", "Summary");
  if (info.provenance.data == "simulated")
    doc.note("The parameters of this bank come from simulated data, not from a calibration on real examinees.");
  {
    double peak = 0, peak_theta = 0;
    for (std::size_t t = 0; t < thetas.size(); ++t)
      if (tif[t] > peak) {
        peak = tif[t];
        peak_theta = thetas[t];
      }
    double lo = NAN, hi = NAN;
    for (std::size_t t = 0; t < thetas.size(); ++t)
      if (se[t] <= 0.3) {
        if (std::isnan(lo)) lo = thetas[t];
        hi = thetas[t];
      }
    doc.paragraph(fmt::format("{} items; the information curves use {} ({} items). Test information peaks at {} (theta = {}, "
                              "SE {}).",
                              n, info_set, n_info, detail::fixed(peak, 2), detail::fixed(peak_theta, 2),
                              detail::fixed(peak > 0 ? 1 / std::sqrt(peak) : NAN, 3)));
    if (!std::isnan(lo))
      doc.paragraph(fmt::format("If every one of these items were given, the SE would be at most 0.30 (reliability about 0.91) "
                                "from theta = {} to {}.",
                                detail::fixed(lo, 2), detail::fixed(hi, 2)));
  }

  // Information and SE.
  doc.section("information", "Test information and conditional SE");
  {
    svg::xy_plot p("Test information function", "theta", "information");
    if (fw) detail::shade_levels(p, cuts);
    p.line(thetas, tif, fmt::format("whole bank ({} items)", n_info), "#000000");
    std::size_t c = 0;
    for (const auto& a : areas) {
      if (a.items.empty()) continue;
      p.line(thetas, a.info, fmt::format("{} ({})", a.name, a.items.size()), palette(c++));
    }
    doc.figure(p.render(), "Fisher information summed over the items (whole bank, black) and per competence area. "
                           "Shaded bands are the framework's proficiency levels (L1, L2, ...) between its cut scores.");
    svg::xy_plot q("Conditional standard error", "theta", "SE(theta)");
    if (fw) detail::shade_levels(q, cuts);
    const auto capped = [&](std::vector<double> v) {
      for (auto& x : v)
        if (!(x <= o.se_cap)) x = NAN;
      return v;
    };
    q.line(thetas, capped(se), "whole bank", "#000000");
    c = 0;
    for (const auto& a : areas) {
      if (a.items.empty()) continue;
      q.line(thetas, capped(se_of(a.info)), a.name, palette(c++));
    }
    q.hline(0.3, "SE 0.30", "#999");
    doc.figure(q.render(), fmt::format("SE = 1/sqrt(information) if every item of the set were given; values above {} are "
                                       "not drawn. A per-area curve is the SE of an area score from that area's items.",
                                       detail::fixed(o.se_cap, 2)));
    std::vector<std::string> header{"theta", "information", "SE"};
    for (const auto& a : areas)
      if (!a.items.empty()) header.push_back("SE " + a.id);
    std::vector<std::vector<std::string>> rows;
    for (double t = std::ceil(o.theta_lo); t <= std::floor(o.theta_hi) + 1e-9; t += 1.0) {
      const auto k = static_cast<std::size_t>(std::lround((t - o.theta_lo) / o.theta_step));
      if (k >= thetas.size()) break;
      std::vector<std::string> r{detail::fixed(thetas[k], 2), detail::fixed(tif[k], 2), detail::fixed(se[k], 3)};
      for (const auto& a : areas)
        if (!a.items.empty()) r.push_back(detail::fixed(a.info[k] > 0 ? 1 / std::sqrt(a.info[k]) : INFINITY, 3));
      rows.push_back(std::move(r));
    }
    doc.table(header, rows, "Information and SE at whole theta values");
  }

  // ICCs.
  doc.section("icc", "Item characteristic curves");
  if (icc_items.empty()) {
    doc.paragraph("No items to draw.");
  } else {
    svg::xy_plot p("Item characteristic curves", "theta", "P(correct) or expected score / max");
    p.y_range(0, 1);
    bool poly = false;
    for (std::size_t k = 0; k < icc_items.size(); ++k) {
      const auto& it = items[icc_items[k]];
      poly = poly || !irt::is_dichotomous(it.params.kind);
      p.line(thetas, detail::icc(it.params, thetas),
             fmt::format("{} ({}, b {})", it.id, irt::to_string(it.params.kind), detail::fixed(bs[icc_items[k]], 2)),
             palette(k));
    }
    doc.figure(p.render(), std::string(o.icc_items.empty() ? "Items chosen evenly across the range of difficulty. "
                                                           : "Items chosen with --items. ") +
                               (poly ? "Polytomous items show the expected score divided by the highest score." : ""));
    std::vector<std::vector<std::string>> rows;
    for (auto i : icc_items) {
      const auto& it = items[i];
      const auto d = irt::to_difficulty_form(it.params, bank.scaling());
      std::string b;
      for (std::size_t k = 0; k < d.b.size(); ++k) b += (k ? ", " : "") + detail::fixed(d.b[k], 3);
      rows.push_back({it.id, std::string(irt::to_string(it.params.kind)), detail::fixed(d.a, 3), b, detail::fixed(d.c, 3),
                      detail::fixed(d.d, 3), it.level ? std::to_string(it.level) : "", area_of(it, fw)});
    }
    doc.table({"item", "model", "a", "b", "c", "d", "level", "area"}, rows, "Parameters of the items drawn (difficulty form)");
  }

  // Difficulty against cut scores.
  doc.section("difficulty", "Item difficulty against the cut scores");
  {
    svg::xy_plot p("Distribution of item difficulty (b)", "b (theta scale)", "items");
    if (fw) detail::shade_levels(p, cuts);
    p.bars(hist.edges, hist.counts, {}, "#0072B2");
    doc.figure(p.render(), std::string("Histogram of b in bins of 0.25 (polytomous items: the mean of their thresholds). ") +
                               (fw ? "Shaded bands are the proficiency levels between the framework's overall cut scores."
                                   : "Pass --framework to see the levels and cut scores."));
    if (fw) {
      std::vector<std::string> header{"intended level \\ level of b"};
      for (int l = 1; l <= n_levels; ++l) header.push_back(std::to_string(l));
      header.push_back("mean b");
      std::vector<std::vector<std::string>> rows;
      for (std::size_t l = 0; l < intended_vs_b.size(); ++l) {
        if (!by_level[l]) continue;
        std::vector<std::string> r{l == 0 ? "not given" : detail::level_name(fw, static_cast<int>(l), lang)};
        for (int bl = 1; bl <= n_levels; ++bl) {
          const auto c = intended_vs_b[l][static_cast<std::size_t>(bl)];
          r.push_back(c ? std::to_string(c) : "");
        }
        r.push_back(detail::fixed(level_b_sum[l] / static_cast<double>(by_level[l]), 2));
        rows.push_back(std::move(r));
      }
      doc.table(header, rows,
                "Intended level (rows) against the level band b falls in (columns): counts off the diagonal are items "
                "whose difficulty does not match their intended level");
    }
  }

  // Counts.
  doc.section("counts", "Items per area, competence, level, status and model");
  {
    std::vector<std::string> names;
    std::vector<double> op, pre, ret;
    for (std::size_t a = 0; a < areas.size(); ++a) {
      const auto& s = area_status[a];
      if (s[0] + s[1] + s[2] == 0) continue;
      names.push_back(areas[a].id.empty() ? areas[a].name : areas[a].id + " " + areas[a].name);
      op.push_back(static_cast<double>(s[0]));
      pre.push_back(static_cast<double>(s[1]));
      ret.push_back(static_cast<double>(s[2]));
    }
    svg::bar_chart bc("Items per competence area", "items");
    bc.categories(names).add_series("operational", op, "#0072B2").add_series("pretest", pre, "#E69F00").add_series(
        "retired", ret, "#999999");
    doc.figure(bc.render(), "Items per area, by status.");

    std::vector<std::string> lnames;
    std::vector<std::vector<double>> per_area_series(areas.size());
    for (std::size_t l = 0; l < by_level.size(); ++l) {
      if (!by_level[l]) continue;
      lnames.push_back(l == 0 ? "not given" : detail::level_name(fw, static_cast<int>(l), lang));
      for (std::size_t a = 0; a < areas.size(); ++a) per_area_series[a].push_back(static_cast<double>(area_level[a][l]));
    }
    svg::bar_chart lc("Items per intended level", "items");
    lc.categories(lnames);
    std::size_t c = 0;
    for (std::size_t a = 0; a < areas.size(); ++a) {
      if (std::accumulate(per_area_series[a].begin(), per_area_series[a].end(), 0.0) == 0) continue;
      lc.add_series(areas[a].name, per_area_series[a], palette(c++));
    }
    doc.figure(lc.render(), "Items per intended proficiency level, stacked by area.");

    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : by_status) rows.push_back({"status", k, std::to_string(v)});
    for (const auto& [k, v] : by_model) rows.push_back({"model", k, std::to_string(v)});
    doc.table({"by", "value", "items"}, rows, "Items per status and model");

    std::vector<std::vector<std::string>> crow;
    if (fw) {
      for (const auto& comp : fw->competences()) {
        const auto it = by_competence.find(comp.id);
        crow.push_back({comp.id, std::string(comp.name.get(lang)), fw->areas()[comp.area_index].id,
                        std::to_string(it == by_competence.end() ? 0 : it->second)});
      }
      for (const auto& [k, v] : by_competence)
        if (!fw->competence_index(k)) crow.push_back({k, "(not in the framework)", "", std::to_string(v)});
    } else {
      for (const auto& [k, v] : by_competence) {
        const auto dot = k.find('.');
        crow.push_back({k, "", dot == std::string::npos ? k : k.substr(0, dot), std::to_string(v)});
      }
    }
    doc.table({"competence", "name", "area", "items"}, crow,
              "Items per competence (an item with several competences counts for each)");
  }

  // Items per level.
  if (fw) {
    doc.section("levels", "Items per proficiency level");
    std::vector<std::string> header{"level", "theta band", "intended", "b in band"};
    for (const auto& a : areas)
      if (!a.id.empty()) header.push_back("area " + a.id);
    std::vector<std::vector<std::string>> rows;
    for (int l = 1; l <= n_levels; ++l) {
      const auto L = static_cast<std::size_t>(l);
      const std::string from = l == 1 ? "-∞" : detail::fixed(cuts[L - 2], 2);
      const std::string to = L - 1 < cuts.size() ? detail::fixed(cuts[L - 1], 2) : "∞";
      std::vector<std::string> r{detail::level_name(fw, l, lang), "[" + from + ", " + to + ")",
                                 std::to_string(L < by_level.size() ? by_level[L] : 0), std::to_string(by_b_level[L])};
      for (std::size_t a = 0; a < areas.size(); ++a)
        if (!areas[a].id.empty()) r.push_back(std::to_string(L < area_level[a].size() ? area_level[a][L] : 0));
      rows.push_back(std::move(r));
    }
    doc.table(header, rows,
              "Per level: its theta band (overall cut scores), items written for it (intended), items whose b falls in "
              "the band, and intended items per area");
  }
  return doc.render();
}

}  // namespace report
DSKILL_END_NAMESPACE
