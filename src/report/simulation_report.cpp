// dskill::report: the CAT simulation report, from `dskill simulate` outputs (see report.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "common.hpp"
#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/csv_table.hpp"
#include "dskill/report/report.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {
namespace {
using detail::json;

double to_number(const std::string& s) { return io::parse_number_or_nan(s); }

struct sim_data {
  std::vector<double> true_theta, theta, se, length;
  std::vector<int> true_level, level;
  std::map<std::string, std::size_t> reasons;
  std::unordered_map<std::string, std::size_t> exposure;  // item id -> administrations
  std::vector<std::string> item_order;                     // ids in order of first use
  bool has_items = false, has_levels = false;
};

sim_data read_results(std::istream& in, std::string_view name) {
  sim_data d;
  io::csv_table t(in, std::string(name), std::nullopt, "empty results file");
  const auto where = [&](int l) { return t.where(l); };
  const auto need = [&](const char* c) {
    return t.require(c, fmt::format("no column '{}': not a `dskill simulate --out` CSV "
                                    "(expected examinee,true_theta,theta,se,length,...)",
                                    c));
  };
  const auto opt = [&](const char* c) -> long {
    const auto i = t.column(c);
    return i ? static_cast<long>(*i) : -1L;
  };
  const auto c_true = need("true_theta"), c_theta = need("theta"), c_se = need("se");
  const long c_len = opt("length"), c_reason = opt("reason"), c_tl = opt("true_level"), c_l = opt("level"),
             c_items = opt("items");
  d.has_items = c_items >= 0;
  while (t.next()) {
    const auto& f = t.fields();
    d.true_theta.push_back(to_number(f[c_true]));
    d.theta.push_back(to_number(f[c_theta]));
    d.se.push_back(to_number(f[c_se]));
    double len = c_len >= 0 ? to_number(f[static_cast<std::size_t>(c_len)]) : NAN;
    if (c_reason >= 0) ++d.reasons[f[static_cast<std::size_t>(c_reason)]];
    if (c_tl >= 0 && c_l >= 0) {
      const double tl = to_number(f[static_cast<std::size_t>(c_tl)]), l = to_number(f[static_cast<std::size_t>(c_l)]);
      d.true_level.push_back(std::isfinite(tl) ? static_cast<int>(tl) : -1);
      d.level.push_back(std::isfinite(l) ? static_cast<int>(l) : -1);
      if (d.true_level.back() >= 0 && d.level.back() >= 0) d.has_levels = true;
    }
    if (c_items >= 0) {
      const std::string& items = f[static_cast<std::size_t>(c_items)];
      std::size_t start = 0, count = 0;
      while (start <= items.size() && !items.empty()) {
        auto end = items.find(';', start);
        if (end == std::string::npos) end = items.size();
        if (end > start) {
          std::string id = items.substr(start, end - start);
          auto [it, fresh] = d.exposure.try_emplace(std::move(id), 0);
          if (fresh) d.item_order.push_back(it->first);
          ++it->second;
          ++count;
        }
        start = end + 1;
      }
      if (!std::isfinite(len)) len = static_cast<double>(count);
    }
    d.length.push_back(len);
  }
  if (d.theta.empty()) throw parse_error("no examinees in the results file", where(t.line()));
  return d;
}

struct band_stats {
  double lo, hi;
  std::size_t n = 0;
  double bias = 0, rmse = 0, mean_se = 0, mean_length = 0;
};

}  // namespace

std::string simulation_report(std::istream& in, std::string_view name, std::string_view summary_text,
                              const bank::item_bank* bank, const simulation_report_options& o, format f) {
  if (!(o.band_width > 0)) throw invalid_argument("the band width must be > 0");
  const sim_data d = read_results(in, name);
  json summary = nullptr;
  if (!summary_text.empty()) {
    try {
      summary = json::parse(summary_text);
    } catch (const json::exception& e) {
      throw parse_error(fmt::format("the simulation summary is not JSON: {}", e.what()));
    }
  }
  const std::size_t n = d.theta.size();

  // Overall and conditional statistics (from the per-examinee rows).
  double bias = 0, sq = 0, se_sum = 0, len_sum = 0;
  std::size_t m = 0;
  double tlo = INFINITY, thi = -INFINITY;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(d.true_theta[i]) || !std::isfinite(d.theta[i])) continue;
    const double e = d.theta[i] - d.true_theta[i];
    bias += e;
    sq += e * e;
    se_sum += std::isfinite(d.se[i]) ? d.se[i] : 0.0;
    len_sum += std::isfinite(d.length[i]) ? d.length[i] : 0.0;
    tlo = std::min(tlo, d.true_theta[i]);
    thi = std::max(thi, d.true_theta[i]);
    ++m;
  }
  const double md = m ? static_cast<double>(m) : NAN;
  bias /= md;
  const double rmse = std::sqrt(sq / md);
  std::vector<band_stats> bands;
  if (m) {
    const double start = std::floor(tlo / o.band_width) * o.band_width;
    const auto nb = static_cast<std::size_t>(std::floor((thi - start) / o.band_width)) + 1;
    if (nb > 10000) throw invalid_argument("too many theta bands; use a wider band");
    for (std::size_t b = 0; b < nb; ++b)
      bands.push_back({start + o.band_width * static_cast<double>(b), start + o.band_width * static_cast<double>(b + 1)});
    std::vector<double> sq_b(nb, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(d.true_theta[i]) || !std::isfinite(d.theta[i])) continue;
      const auto b = std::min(nb - 1, static_cast<std::size_t>(std::floor((d.true_theta[i] - start) / o.band_width)));
      const double e = d.theta[i] - d.true_theta[i];
      auto& s = bands[b];
      ++s.n;
      s.bias += e;
      sq_b[b] += e * e;
      s.mean_se += std::isfinite(d.se[i]) ? d.se[i] : 0.0;
      s.mean_length += std::isfinite(d.length[i]) ? d.length[i] : 0.0;
    }
    for (std::size_t b = 0; b < nb; ++b) {
      auto& s = bands[b];
      if (!s.n) continue;
      const double k = static_cast<double>(s.n);
      s.bias /= k;
      s.rmse = std::sqrt(sq_b[b] / k);
      s.mean_se /= k;
      s.mean_length /= k;
    }
  }

  // Exposure rates: every item given at least once, plus the bank's never-used items.
  std::vector<std::pair<std::string, double>> rates;
  for (const auto& id : d.item_order) rates.emplace_back(id, static_cast<double>(d.exposure.at(id)) / static_cast<double>(n));
  std::size_t never_used = 0;
  if (bank)
    for (const auto& it : bank->items())
      if (!d.exposure.count(it.id) && it.status != bank::item_status::retired) {
        rates.emplace_back(it.id, 0.0);
        ++never_used;
      }
  std::stable_sort(rates.begin(), rates.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<double> rate_values;
  for (const auto& r : rates) rate_values.push_back(r.second);

  // Classification.
  std::size_t agree = 0, classified = 0;
  int max_level = 0;
  for (std::size_t i = 0; i < d.level.size(); ++i)
    if (d.level[i] >= 0 && d.true_level[i] >= 0) {
      ++classified;
      agree += d.level[i] == d.true_level[i];
      max_level = std::max({max_level, d.level[i], d.true_level[i]});
    }

  // Lengths are integers: one bin per length.
  double lmin = INFINITY, lmax = -INFINITY;
  for (double l : d.length)
    if (std::isfinite(l)) {
      lmin = std::min(lmin, l);
      lmax = std::max(lmax, l);
    }
  histogram lh;
  if (std::isfinite(lmin)) lh = make_histogram(d.length, lmin - 0.5, lmax + 0.5, static_cast<std::size_t>(lmax - lmin) + 1);
  const auto rate_hist = make_histogram(rate_values, 0.0, std::max(0.05, std::ceil(rate_values.empty() ? 0.05 : rate_values.front() * 20) / 20), 20);

  if (f == format::json) {
    json j;
    j["report"] = "simulation";
    j["results"] = std::string(name);
    j["examinees"] = n;
    j["bias"] = detail::num(bias);
    j["rmse"] = detail::num(rmse);
    j["mean_se"] = detail::num(se_sum / md);
    j["mean_length"] = detail::num(len_sum / md);
    json jb = json::array();
    for (const auto& b : bands)
      jb.push_back({{"lo", b.lo}, {"hi", b.hi}, {"n", b.n}, {"bias", detail::num(b.n ? b.bias : NAN)},
                    {"rmse", detail::num(b.n ? b.rmse : NAN)}, {"mean_se", detail::num(b.n ? b.mean_se : NAN)},
                    {"mean_length", detail::num(b.n ? b.mean_length : NAN)}});
    j["conditional"] = jb;
    j["length_histogram"] = {{"edges", detail::nums(lh.edges)}, {"counts", detail::nums(lh.counts)}};
    json je = json::object();
    for (const auto& [id, r] : rates) je[id] = r;
    j["exposure"] = {{"items_used", d.item_order.size()},
                     {"bank_items_never_used", bank ? json(never_used) : json(nullptr)},
                     {"max_rate", detail::num(rate_values.empty() ? NAN : rate_values.front())},
                     {"rates", je}};
    j["finish_reasons"] = d.reasons;
    if (d.has_levels) j["classification_accuracy"] = detail::num(static_cast<double>(agree) / static_cast<double>(classified));
    if (summary.is_object()) j["summary"] = summary;
    return j.dump(2) + "\n";
  }

  html_document doc(o.title.empty() ? "CAT simulation report" : o.title);
  doc.fact("Results", std::string(name));
  if (summary.is_object()) {
    if (summary.contains("bank") && summary["bank"].is_object())
      doc.fact("Bank", fmt::format("{} ({} items)", summary["bank"].value("id", std::string()),
                                   summary["bank"].contains("items") ? summary["bank"]["items"].dump() : "?"));
    const auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    if (summary.contains("selection")) doc.fact("Selection", text(summary["selection"]));
    if (summary.contains("estimator")) doc.fact("Estimator", text(summary["estimator"]));
    if (summary.contains("seed")) doc.fact("Seed", text(summary["seed"]));
  } else if (bank) {
    doc.fact("Bank", fmt::format("{} ({} items)", bank->info().id, bank->size()));
  }
  doc.fact("Examinees", std::to_string(n));

  doc.section("summary", "Summary");
  std::vector<std::vector<std::string>> rows{
      {"bias (mean of theta-hat - theta)", detail::fixed(bias, 4)},
      {"RMSE", detail::fixed(rmse, 4)},
      {"mean SE", detail::fixed(se_sum / md, 4)},
      {"mean test length", detail::fixed(len_sum / md, 2)},
  };
  if (d.has_levels)
    rows.push_back({"classification accuracy (level = true level)",
                    detail::fixed(static_cast<double>(agree) / static_cast<double>(classified), 4)});
  if (summary.is_object()) {
    const auto add = [&](const char* label, const json& v) {
      if (v.is_number()) rows.push_back({label, detail::fixed(v.get<double>(), 4)});
    };
    if (summary.contains("correlation")) add("correlation (summary)", summary["correlation"]);
    if (summary.contains("mae")) add("MAE (summary)", summary["mae"]);
    if (summary.contains("test_overlap")) add("test overlap (summary)", summary["test_overlap"]);
    if (summary.contains("exposure") && summary["exposure"].is_object()) {
      const auto& e = summary["exposure"];
      if (e.contains("max_rate")) add("largest exposure rate (summary)", e["max_rate"]);
      if (e.contains("never_used")) add("share of items never used (summary)", e["never_used"]);
      if (e.contains("chi_square")) add("exposure chi-square (summary)", e["chi_square"]);
    }
    if (summary.contains("rmse") && summary["rmse"].is_number() && std::abs(summary["rmse"].get<double>() - rmse) > 1e-6)
      doc.note(fmt::format("The summary's RMSE ({}) differs from the results file's ({}): are they from the same run?",
                           detail::fixed(summary["rmse"].get<double>(), 4), detail::fixed(rmse, 4)));
  }
  doc.table({"statistic", "value"}, rows, "Recovery of theta over all examinees");
  if (!d.reasons.empty()) {
    std::vector<std::vector<std::string>> r;
    for (const auto& [k, v] : d.reasons) r.push_back({k, std::to_string(v)});
    doc.table({"finish reason", "examinees"}, r, "Why tests stopped");
  }

  doc.section("recovery", "Estimated against true theta");
  {
    std::vector<double> x, y;
    const std::size_t step = std::max<std::size_t>(1, (n + o.max_scatter - 1) / std::max<std::size_t>(1, o.max_scatter));
    for (std::size_t i = 0; i < n; i += step) {
      x.push_back(d.true_theta[i]);
      y.push_back(d.theta[i]);
    }
    double lo = std::min(tlo, *std::min_element(y.begin(), y.end())), hi = std::max(thi, *std::max_element(y.begin(), y.end()));
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = -4, hi = 4;
    svg::xy_plot p("Estimated against true theta", "true theta", "estimated theta");
    const auto [alo, ahi] = nice_range(lo, hi);  // the same range on both axes: identity at 45 degrees
    p.points(x, y, {}, "#0072B2", 1.6).line({alo, ahi}, {alo, ahi}, "identity", "#D55E00", true).y_from_zero(false);
    p.x_range(alo, ahi).y_range(alo, ahi).size(560, 520);
    doc.figure(p.render(), step > 1 ? fmt::format("Every {}th examinee drawn ({} of {}).", step, x.size(), n)
                                    : "Every examinee drawn.");
    std::vector<double> mid, b, r, s, l;
    std::vector<std::vector<std::string>> tr;
    for (const auto& band : bands) {
      if (!band.n) continue;
      mid.push_back((band.lo + band.hi) / 2);
      b.push_back(band.bias);
      r.push_back(band.rmse);
      s.push_back(band.mean_se);
      l.push_back(band.mean_length);
      tr.push_back({fmt::format("[{}, {})", detail::fixed(band.lo, 2), detail::fixed(band.hi, 2)), std::to_string(band.n),
                    detail::fixed(band.bias, 3), detail::fixed(band.rmse, 3), detail::fixed(band.mean_se, 3),
                    detail::fixed(band.mean_length, 1)});
    }
    svg::xy_plot c("Conditional bias, RMSE and SE", "true theta (band midpoint)", "theta units");
    c.line(mid, b, "bias", "#D55E00").line(mid, r, "RMSE", "#0072B2").line(mid, s, "mean SE", "#009E73", true).hline(0);
    doc.figure(c.render(), fmt::format("Per band of true theta of width {}. Where the mean SE is near the RMSE, the "
                                       "reported SEs are honest.",
                                       detail::fixed(o.band_width, 2)));
    svg::xy_plot cl("Mean test length by true theta", "true theta (band midpoint)", "items");
    cl.line(mid, l, "mean length", "#CC79A7");
    doc.figure(cl.render());
    doc.table({"true theta", "n", "bias", "RMSE", "mean SE", "mean length"}, tr, "Conditional statistics");
  }

  doc.section("length", "Test length");
  {
    svg::xy_plot p("Test length", "items given", "examinees");
    p.bars(lh.edges, lh.counts, {}, "#0072B2");
    doc.figure(p.render(), fmt::format("Shortest {}, longest {}, mean {}.", detail::fixed(lmin, 0), detail::fixed(lmax, 0),
                                       detail::fixed(len_sum / md, 2)));
  }

  doc.section("exposure", "Item exposure");
  if (!d.has_items) {
    doc.paragraph("The results file has no items column: exposure cannot be shown.");
  } else {
    svg::xy_plot p("Distribution of exposure rates", "exposure rate (share of examinees given the item)", "items");
    p.bars(rate_hist.edges, rate_hist.counts, {}, "#0072B2");
    doc.figure(p.render(), bank ? fmt::format("{} items used; {} operational or pretest items of the bank never used (rate 0).",
                                              d.item_order.size(), never_used)
                                : fmt::format("{} items used (pass --bank to count the items never used).",
                                              d.item_order.size()));
    std::vector<double> rank;
    for (std::size_t i = 0; i < rate_values.size(); ++i) rank.push_back(static_cast<double>(i + 1));
    svg::xy_plot q("Exposure rate by item rank", "item rank (most exposed first)", "exposure rate");
    q.line(rank, rate_values, "rate", "#0072B2");
    doc.figure(q.render(), "A flat curve means even use of the bank; a steep start means a few items carry the test.");
    std::vector<std::vector<std::string>> tr;
    for (std::size_t i = 0; i < std::min<std::size_t>(10, rates.size()); ++i)
      tr.push_back({rates[i].first, detail::fixed(rates[i].second, 3)});
    doc.table({"item", "exposure rate"}, tr, "The most exposed items");
  }

  if (d.has_levels) {
    doc.section("classification", "Classification");
    std::vector<std::vector<std::size_t>> cm(static_cast<std::size_t>(max_level) + 1,
                                             std::vector<std::size_t>(static_cast<std::size_t>(max_level) + 1, 0));
    for (std::size_t i = 0; i < d.level.size(); ++i)
      if (d.level[i] >= 0 && d.true_level[i] >= 0)
        ++cm[static_cast<std::size_t>(d.true_level[i])][static_cast<std::size_t>(d.level[i])];
    std::vector<std::string> header{"true \\ classified"};
    for (int l = 0; l <= max_level; ++l) header.push_back(std::to_string(l));
    std::vector<std::vector<std::string>> tr;
    for (int t = 0; t <= max_level; ++t) {
      std::vector<std::string> r{std::to_string(t)};
      for (int l = 0; l <= max_level; ++l) r.push_back(std::to_string(cm[static_cast<std::size_t>(t)][static_cast<std::size_t>(l)]));
      tr.push_back(std::move(r));
    }
    doc.paragraph(fmt::format("{} of {} examinees classified at their true level ({} %).", agree, classified,
                              detail::fixed(100.0 * static_cast<double>(agree) / static_cast<double>(classified), 1)));
    doc.table(header, tr, "True level (rows) against classified level (columns)");
  }
  return doc.render();
}

}  // namespace report
DSKILL_END_NAMESPACE
