// dskill::report: the scores report, from `dskill score` outputs (see report.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "common.hpp"
#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/csv_table.hpp"
#include "dskill/report/report.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {
namespace {
using detail::json;

struct score_data {
  std::uint64_t rows = 0;
  std::vector<double> theta, se;
  std::vector<std::string> area_ids;
  std::vector<std::map<int, std::uint64_t>> area_levels;  // level 0 = none
  std::map<int, std::uint64_t> overall_levels;
  bool has_levels = false;
  std::uint64_t certified = 0;
  std::map<std::string, std::uint64_t> certified_by, status;
  std::string bank_fingerprint, dskill_version;
};

double to_number(const std::string& s) { return io::parse_number_or_nan(s); }

int to_level(const std::string& s) {
  const double v = to_number(s);
  return std::isfinite(v) && v >= 0 && v < 1000 ? static_cast<int>(v) : 0;
}

void read_csv(std::istream& in, std::string_view name, std::string first_line, score_data& d) {
  io::csv_table t(in, std::string(name), std::move(first_line));
  const auto& header = t.header();
  const auto need = [&](const char* c) {
    return t.require(c, fmt::format("no column '{}': not a `dskill score` CSV (expected person_id,theta,se,...)", c));
  };
  const auto opt = [&](const std::string& c) -> long {
    const auto i = t.column(c);
    return i ? static_cast<long>(*i) : -1;
  };
  const auto c_theta = need("theta"), c_se = need("se");
  const long c_status = opt("status"), c_level = opt("level"), c_cert = opt("certified"), c_by = opt("certified_by");
  const long c_fp = opt("bank_fingerprint"), c_ver = opt("dskill_version");
  std::vector<std::size_t> c_area;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i].starts_with("level_")) {
      d.area_ids.push_back(header[i].substr(6));
      c_area.push_back(i);
    }
  d.area_levels.resize(d.area_ids.size());
  d.has_levels = c_level >= 0;
  while (t.next()) {
    const auto& f = t.fields();
    ++d.rows;
    d.theta.push_back(to_number(f[c_theta]));
    d.se.push_back(to_number(f[c_se]));
    if (c_status >= 0) ++d.status[f[static_cast<std::size_t>(c_status)]];
    for (std::size_t a = 0; a < c_area.size(); ++a) ++d.area_levels[a][to_level(f[c_area[a]])];
    if (c_level >= 0) ++d.overall_levels[to_level(f[static_cast<std::size_t>(c_level)])];
    if (c_cert >= 0 && f[static_cast<std::size_t>(c_cert)] == "true") {
      ++d.certified;
      if (c_by >= 0) ++d.certified_by[f[static_cast<std::size_t>(c_by)]];
    }
    if (d.rows == 1) {
      if (c_fp >= 0) d.bank_fingerprint = f[static_cast<std::size_t>(c_fp)];
      if (c_ver >= 0) d.dskill_version = f[static_cast<std::size_t>(c_ver)];
    }
  }
}

void read_jsonl(std::istream& in, std::string_view name, std::string first_line, score_data& d) {
  std::string line = std::move(first_line);
  int line_no = 1;
  std::map<std::string, std::size_t> area_pos;
  const auto number = [](const json& v) { return v.is_number() ? v.get<double>() : NAN; };
  do {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      ++line_no;
      continue;
    }
    json j;
    try {
      j = json::parse(line);
    } catch (const json::exception& e) {
      throw parse_error(fmt::format("not JSON: {}", e.what()), location{.file = std::string(name), .line = line_no});
    }
    if (!j.is_object() || !j.contains("theta"))
      throw parse_error("not a `dskill score` record (no \"theta\")", location{.file = std::string(name), .line = line_no});
    ++d.rows;
    d.theta.push_back(number(j["theta"]));
    d.se.push_back(number(j.value("se", json(nullptr))));
    if (j.contains("status") && j["status"].is_string()) ++d.status[j["status"].get<std::string>()];
    if (j.contains("areas") && j["areas"].is_object())
      for (auto& [id, a] : j["areas"].items()) {
        auto it = area_pos.find(id);
        if (it == area_pos.end()) {
          it = area_pos.emplace(id, d.area_ids.size()).first;
          d.area_ids.push_back(id);
          d.area_levels.emplace_back();
        }
        const auto& lv = a.contains("level") ? a["level"] : json(nullptr);
        ++d.area_levels[it->second][lv.is_number_integer() ? lv.get<int>() : 0];
      }
    if (j.contains("level")) {
      d.has_levels = true;
      ++d.overall_levels[j["level"].is_number_integer() ? j["level"].get<int>() : 0];
    }
    if (j.value("certified", false)) {
      ++d.certified;
      const auto& by = j.contains("certified_by") ? j["certified_by"] : json(nullptr);
      ++d.certified_by[by.is_string() ? by.get<std::string>() : std::string()];
    }
    if (d.rows == 1) {
      if (j.contains("bank_fingerprint") && j["bank_fingerprint"].is_string())
        d.bank_fingerprint = j["bank_fingerprint"].get<std::string>();
      if (j.contains("dskill_version") && j["dskill_version"].is_string())
        d.dskill_version = j["dskill_version"].get<std::string>();
    }
    ++line_no;
  } while (std::getline(in, line));
}

json parse_summary(std::string_view text, const char* what) {
  if (text.empty()) return json(nullptr);
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw parse_error(fmt::format("{} is not JSON: {}", what, e.what()));
  }
}

double dbl(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : NAN;
}

std::uint64_t u64(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<std::uint64_t>() : 0;
}

std::string str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// Which bank and dskill version made the scores: the rows' columns when they have them
// (`dskill score --provenance-columns`), else the run's summary, which states both once.
struct provenance {
  std::string fingerprint, version;
  const char* from = nullptr;          // where the fingerprint was found: "scores", "summary" or null
  std::string summary_fingerprint;     // the summary's, when the columns state one too
  std::optional<bool> summary_agrees;  // both state a fingerprint: the same one?
};

provenance find_provenance(const score_data& d, const json& summary) {
  provenance p;
  const std::string s_fp = summary.is_object() && summary.contains("bank") ? str(summary["bank"], "fingerprint") : "";
  const std::string s_ver = str(summary, "dskill_version");
  if (!d.bank_fingerprint.empty()) {
    p.fingerprint = d.bank_fingerprint;
    p.from = "scores";
    if (!s_fp.empty()) {
      p.summary_fingerprint = s_fp;
      p.summary_agrees = s_fp == d.bank_fingerprint;
    }
  } else if (!s_fp.empty()) {
    p.fingerprint = s_fp;
    p.from = "summary";
  }
  p.version = !d.dskill_version.empty() ? d.dskill_version : s_ver;
  return p;
}

}  // namespace

std::string scores_report(std::istream& in, std::string_view name, std::string_view summary_text,
                          const framework::framework* fw, const scores_report_options& o, format f) {
  score_data d;
  std::string first;
  while (std::getline(in, first) && first.find_first_not_of(" \t\r") == std::string::npos) {
  }
  if (first.empty()) throw parse_error("empty scores file", location{.file = std::string(name)});
  if (first.starts_with("\xEF\xBB\xBF")) first.erase(0, 3);
  if (first.find_first_not_of(" \t") != std::string::npos && first[first.find_first_not_of(" \t")] == '{')
    read_jsonl(in, name, first, d);
  else
    read_csv(in, name, first, d);
  const json summary = parse_summary(summary_text, "the summary");
  const provenance prov = find_provenance(d, summary);
  const std::string lang = o.language;

  // Level scheme: from the framework, else from the data.
  int n_levels = fw ? fw->level_count() : 0;
  for (const auto& m : d.area_levels)
    for (const auto& [l, c] : m) n_levels = std::max(n_levels, l);
  for (const auto& [l, c] : d.overall_levels) n_levels = std::max(n_levels, l);
  std::vector<double> cuts;
  if (fw) cuts.assign(fw->overall_cut_scores().begin(), fw->overall_cut_scores().end());
  const auto area_name = [&](const std::string& id) {
    if (fw)
      if (auto a = fw->area_index(id)) return id + " " + std::string(fw->areas()[*a].name.get(lang));
    return id;
  };

  double mean = 0, sd = 0;
  std::size_t finite = 0;
  for (double t : d.theta)
    if (std::isfinite(t)) {
      mean += t;
      ++finite;
    }
  mean = finite ? mean / static_cast<double>(finite) : NAN;
  for (double t : d.theta)
    if (std::isfinite(t)) sd += (t - mean) * (t - mean);
  sd = finite > 1 ? std::sqrt(sd / static_cast<double>(finite - 1)) : NAN;
  const auto hist = make_histogram(d.theta, o.bin_width);
  const double cert_rate = d.rows ? static_cast<double>(d.certified) / static_cast<double>(d.rows) : NAN;

  const bool have_summary = summary.is_object();
  const std::uint64_t rows_read = u64(summary, "rows_read"), scored = u64(summary, "persons_scored"),
                      rejected = u64(summary, "rows_rejected");
  const bool reconciles = have_summary && rows_read == scored + rejected;
  const bool file_matches = have_summary && scored == d.rows;

  if (f == format::json) {
    json j;
    j["report"] = "scores";
    j["scores"] = std::string(name);
    j["persons"] = d.rows;
    j["theta"] = {{"mean", detail::num(mean)}, {"sd", detail::num(sd)}, {"finite", finite}};
    j["theta_histogram"] = {{"edges", detail::nums(hist.edges)}, {"counts", detail::nums(hist.counts)}};
    json lv = json::object();
    if (d.has_levels) {
      json ov = json::object();
      for (const auto& [l, c] : d.overall_levels) ov[l ? std::to_string(l) : "unclassified"] = c;
      lv["overall"] = ov;
    }
    for (std::size_t a = 0; a < d.area_ids.size(); ++a) {
      json m = json::object();
      for (const auto& [l, c] : d.area_levels[a]) m[l ? std::to_string(l) : "unclassified"] = c;
      lv[d.area_ids[a]] = m;
    }
    j["levels"] = lv;
    j["certified"] = d.certified;
    j["certification_rate"] = detail::num(cert_rate);
    j["certified_by"] = d.certified_by;
    j["status"] = d.status;
    j["cut_scores"] = detail::nums(cuts);
    j["provenance"] = {{"bank_fingerprint", prov.fingerprint.empty() ? json(nullptr) : json(prov.fingerprint)},
                       {"dskill_version", prov.version.empty() ? json(nullptr) : json(prov.version)},
                       {"from", prov.from ? json(prov.from) : json(nullptr)},
                       {"summary_agrees", prov.summary_agrees ? json(*prov.summary_agrees) : json(nullptr)}};
    if (have_summary)
      j["reconciliation"] = {{"rows_read", rows_read},
                             {"persons_scored", scored},
                             {"rows_rejected", rejected},
                             {"reconciles", reconciles},
                             {"scores_file_rows", d.rows},
                             {"scores_file_matches", file_matches}};
    return j.dump(2) + "\n";
  }

  html_document doc(o.title.empty() ? "Scoring report" : o.title);
  doc.fact("Scores", std::string(name));
  if (have_summary) {
    if (summary.contains("bank") && summary["bank"].is_object())
      doc.fact("Bank", fmt::format("{} ({} items)", summary["bank"].value("id", ""), u64(summary["bank"], "items")));
    if (summary.contains("method") && summary["method"].is_string()) doc.fact("Method", summary["method"].get<std::string>());
    if (summary.contains("responses") && summary["responses"].is_string())
      doc.fact("Responses", summary["responses"].get<std::string>());
  }
  if (!prov.from)
    doc.fact("Bank fingerprint", have_summary ? "unknown (stated neither in the scores nor in the summary)"
                                              : "unknown (no bank_fingerprint column and no --summary)");
  else if (std::string_view(prov.from) == "summary")
    doc.fact("Bank fingerprint", prov.fingerprint + " (from the summary)");
  else
    doc.fact("Bank fingerprint", prov.fingerprint);
  if (fw) doc.fact("Framework", fmt::format("{} {}", fw->id(), fw->version()));
  doc.fact("Scored by", prov.version.empty() ? std::string("dskill, version unknown") : "dskill " + prov.version);

  doc.section("summary", "Summary and reconciliation");
  if (prov.summary_agrees && !*prov.summary_agrees)
    doc.note(fmt::format("The scores were made over bank {}, but the summary names bank {}: another run's summary?",
                         prov.fingerprint, prov.summary_fingerprint));
  doc.paragraph(fmt::format("{} persons in the scores file; mean theta {}, SD {}.", d.rows, detail::fixed(mean, 3),
                            detail::fixed(sd, 3)));
  if (have_summary) {
    doc.table({"count", "value"},
              {{"rows read", std::to_string(rows_read)},
               {"persons scored", std::to_string(scored)},
               {"rows rejected", std::to_string(rejected)},
               {"blank lines skipped", std::to_string(u64(summary, "blank_lines_skipped"))},
               {"rows in the scores file", std::to_string(d.rows)}},
              "Reconciliation: rows read = persons scored + rows rejected");
    if (reconciles && file_matches)
      doc.paragraph(fmt::format("The counts reconcile: {} = {} + {}, and the scores file holds the {} persons scored.",
                                rows_read, scored, rejected, scored));
    if (!reconciles)
      doc.note(fmt::format("The counts do NOT reconcile: {} rows read, but {} scored + {} rejected = {}.", rows_read, scored,
                           rejected, scored + rejected));
    if (!file_matches)
      doc.note(fmt::format("The summary says {} persons were scored, but the scores file holds {} rows (another run's "
                           "summary, or a file cut short?).",
                           scored, d.rows));
    if (rejected)
      doc.note(fmt::format("{} rows were rejected; their reasons are in the rejects file ({}).", rejected,
                           summary.contains("outputs") && summary["outputs"].is_object()
                               ? summary["outputs"].value("rejects", "see the summary")
                               : std::string("see the summary")));
  } else {
    doc.note("No summary given (--summary): rows read and rejected cannot be reconciled.");
  }
  if (!d.status.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : d.status) rows.push_back({k, std::to_string(v)});
    doc.table({"estimation status", "persons"}, rows, "Estimation status (at_upper_bound / at_lower_bound: ML or WLE "
                                                      "on an all-correct or all-wrong pattern)");
  }

  doc.section("theta", "Theta distribution");
  {
    svg::xy_plot p("Distribution of theta", "theta", "persons");
    if (!cuts.empty()) detail::shade_levels(p, cuts);
    p.bars(hist.edges, hist.counts, {}, "#0072B2");
    doc.figure(p.render(), fmt::format("Histogram of the overall theta estimates in bins of {}{}.", detail::fixed(o.bin_width, 2),
                                       cuts.empty() ? "" : "; shaded bands are the proficiency levels (overall cut scores)"));
    std::vector<double> x, y;
    const std::size_t step = std::max<std::size_t>(1, d.theta.size() / 3000);
    for (std::size_t i = 0; i < d.theta.size(); i += step) {
      x.push_back(d.theta[i]);
      y.push_back(d.se[i]);
    }
    svg::xy_plot q("Standard error against theta", "theta", "SE");
    q.points(x, y, {}, "#0072B2", 1.8);
    doc.figure(q.render(), step > 1 ? fmt::format("Every {}th person drawn.", step) : "Every person drawn.");
  }

  if (!d.area_ids.empty() || d.has_levels) {
    doc.section("levels", "Proficiency levels");
    std::vector<std::string> cats;
    std::vector<const std::map<int, std::uint64_t>*> maps;
    if (d.has_levels) {
      cats.push_back("overall");
      maps.push_back(&d.overall_levels);
    }
    for (std::size_t a = 0; a < d.area_ids.size(); ++a) {
      cats.push_back(area_name(d.area_ids[a]));
      maps.push_back(&d.area_levels[a]);
    }
    svg::bar_chart bc("Levels per area", "persons");
    bc.categories(cats).percent(true);
    for (int l = 0; l <= n_levels; ++l) {
      std::vector<double> v;
      bool any = false;
      for (const auto* m : maps) {
        const auto it = m->find(l);
        v.push_back(it == m->end() ? 0.0 : static_cast<double>(it->second));
        any = any || it != m->end();
      }
      if (l == 0 && !any) continue;
      bc.add_series(detail::level_name(fw, l, lang), v, detail::level_color(l, n_levels));
    }
    doc.figure(bc.render(), "Share of persons at each level, overall and per area (unclassified: no answered item in the "
                            "area).");
    std::vector<std::string> header{"area"};
    for (int l = 0; l <= n_levels; ++l) header.push_back(l ? std::to_string(l) : "none");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t k = 0; k < cats.size(); ++k) {
      std::vector<std::string> r{cats[k]};
      for (int l = 0; l <= n_levels; ++l) {
        const auto it = maps[k]->find(l);
        r.push_back(std::to_string(it == maps[k]->end() ? 0 : it->second));
      }
      rows.push_back(std::move(r));
    }
    doc.table(header, rows, "Persons per level");
  }

  if (d.has_levels) {
    doc.section("certification", "Certification");
    doc.paragraph(fmt::format("{} of {} persons certified ({} %).", d.certified, d.rows, detail::fixed(100 * cert_rate, 1)));
    svg::bar_chart bc("Certification", "persons");
    std::vector<std::string> cats;
    std::vector<double> v;
    for (const auto& [rule, c] : d.certified_by) {
      cats.push_back("certified: " + (rule.empty() ? std::string("(rule not named)") : rule));
      v.push_back(static_cast<double>(c));
    }
    cats.push_back("not certified");
    v.push_back(static_cast<double>(d.rows - d.certified));
    bc.categories(cats).add_series("persons", v, "#009E73");
    doc.figure(bc.render(), "Persons per certification rule that held first (rules are tried from the most demanding).");
    if (have_summary && summary.contains("classification") && summary["classification"].is_object()) {
      const auto& c = summary["classification"];
      std::vector<std::vector<std::string>> rows;
      const auto row = [&](const std::string& label, const json& s) {
        if (!s.is_object()) return;
        rows.push_back({label, std::to_string(u64(s, "n")),
                        detail::fixed(dbl(s, "accuracy"), 3), detail::fixed(dbl(s, "consistency"), 3)});
      };
      if (c.contains("overall")) row("overall", c["overall"]);
      if (c.contains("areas") && c["areas"].is_object())
        for (auto& [id, s] : c["areas"].items()) row(area_name(id), s);
      doc.table({"", "persons", "accuracy", "consistency"}, rows,
                "Classification accuracy and consistency (Rudner), from the summary");
    }
  }
  return doc.render();
}

}  // namespace report
DSKILL_END_NAMESPACE
