// dskill::report: the calibration report, from `dskill calibrate` and `dskill fit` outputs
// (see report.hpp). The calibrated bank carries SEs (item meta `se`), S-X2 (item meta `fit`) and
// the run's figures (bank meta `calibration`) as YAML flow text; a fit file and an iteration log
// add to them.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

#include "common.hpp"
#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/csv_table.hpp"
#include "dskill/io/yaml_tree.hpp"
#include "dskill/report/report.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {
namespace {
using detail::json;

double to_number(const std::string& s) { return io::parse_number_or_nan(s); }

struct item_fit {
  double s_x2 = NAN, df = NAN, p = NAN, rmsea = NAN, infit = NAN, outfit = NAN;
};

struct item_se {
  double a = NAN, c = NAN, d = NAN;
  std::vector<double> b;
};

const bank::meta_entry* find_meta(const std::vector<bank::meta_entry>& meta, std::string_view key) {
  for (const auto& m : meta)
    if (m.key == key) return &m;
  return nullptr;
}

using io::detail::ynode;

// A meta value written as YAML flow text ({a: 0.1, b: [0.2]}), parsed; the root is null when
// the entry is absent, not YAML, or does not parse. Nodes stay put when the document moves.
io::detail::ydoc load_flow(const bank::meta_entry* m) {
  if (!m || !m->yaml) return {};
  try {
    return io::detail::parse_yaml(m->value, m->key);
  } catch (const parse_error&) {
    return {};
  }
}

// The map of a parsed flow value, or nullptr.
const ynode* as_map(const io::detail::ydoc& d) { return d.root && d.root->is_map() ? d.root : nullptr; }

// The value of `key` in map `m`, or nullptr.
const ynode* field(const ynode* m, std::string_view key) {
  for (std::size_t i = 0; i + 1 < m->children.size(); i += 2)
    if (m->children[i]->is_scalar() && m->children[i]->value == key) return m->children[i + 1];
  return nullptr;
}

double yaml_number(const ynode* n) {
  if (!n || !n->is_scalar()) return NAN;
  return to_number(n->value);
}

// b: one number for dichotomous items, a list for polytomous ones.
void read_b(const ynode* b, std::vector<double>& out) {
  if (b && b->is_sequence())
    for (const ynode* v : b->children) out.push_back(yaml_number(v));
  else if (b)
    out.push_back(yaml_number(b));
}

// Reads the fit file of `dskill fit`: its JSON (stdout) or its item CSV (--items-out or
// --format csv). Returns item id -> fit.
std::map<std::string, item_fit> read_fit(const std::string& text, const std::string& name) {
  std::map<std::string, item_fit> out;
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string::npos) return out;
  if (text[first] == '{') {
    json j;
    try {
      j = json::parse(text);
    } catch (const json::exception& e) {
      throw parse_error(fmt::format("not JSON: {}", e.what()), location{.file = name});
    }
    if (!j.contains("item_fit") || !j["item_fit"].is_array())
      throw parse_error("no \"item_fit\" array: not the JSON of `dskill fit`", location{.file = name});
    const auto num = [](const json& o, const char* k) { return o.contains(k) && o[k].is_number() ? o[k].get<double>() : NAN; };
    for (const auto& it : j["item_fit"]) {
      if (!it.contains("item") || !it["item"].is_string()) continue;
      auto& f = out[it["item"].get<std::string>()];
      f.s_x2 = num(it, "s_x2");
      f.df = num(it, "df");
      f.p = num(it, "p");
      f.rmsea = num(it, "rmsea");
      f.infit = num(it, "infit");
      f.outfit = num(it, "outfit");
    }
    return out;
  }
  std::istringstream in(text.substr(first));
  io::csv_table t(in, name);
  if (!t.column("item") || (!t.column("s_x2") && !t.column("infit")))
    throw parse_error("expected columns item and s_x2 (the item CSV of `dskill fit`)", t.where(1));
  const std::size_t c_item = *t.column("item");
  const auto c_sx2 = t.column("s_x2"), c_df = t.column("df"), c_p = t.column("p"), c_rmsea = t.column("rmsea"),
             c_infit = t.column("infit"), c_outfit = t.column("outfit");
  while (t.next()) {
    auto& f = out[t.field(c_item)];
    f.s_x2 = t.number(c_sx2);
    f.df = t.number(c_df);
    f.p = t.number(c_p);
    f.rmsea = t.number(c_rmsea);
    f.infit = t.number(c_infit);
    f.outfit = t.number(c_outfit);
  }
  return out;
}

struct log_rows {
  std::vector<double> iteration, loglik, change;
};

log_rows read_log(const std::string& text, const std::string& name) {
  log_rows r;
  if (text.empty()) return r;
  std::istringstream in(text);
  io::csv_table t(in, name);
  const auto c_it = t.column("iteration"), c_ll = t.column("log_likelihood"), c_change = t.column("max_change");
  if (!c_it || !c_ll)
    throw parse_error("expected columns iteration,log_likelihood (the --log CSV of `dskill calibrate`)", t.where(1));
  while (t.next()) {
    r.iteration.push_back(t.number(c_it));
    r.loglik.push_back(t.number(c_ll));
    r.change.push_back(t.number(c_change));
  }
  return r;
}

std::string with_se(double v, double se, int digits = 3) {
  if (std::isnan(v)) return {};
  return std::isfinite(se) ? detail::fixed(v, digits) + " (" + detail::fixed(se, digits) + ")" : detail::fixed(v, digits);
}

}  // namespace

std::string calibration_report(const calibration_inputs& in, const calibration_report_options& o, format f) {
  if (!in.bank) throw invalid_argument("calibration report: no bank given");
  const auto& bank = *in.bank;
  const auto& items = bank.items();
  const std::size_t n = items.size();
  const double D = bank.scaling();

  // What the bank carries.
  std::vector<item_se> ses(n);
  std::vector<item_fit> fits(n);
  std::vector<bool> anchor(n, false);
  std::vector<std::optional<item_se>> generating(n);
  bool any_se = false, any_fit = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto se_doc = load_flow(find_meta(items[i].meta, "se"));
    if (const ynode* se = as_map(se_doc)) {
      any_se = true;
      ses[i].a = yaml_number(field(se, "a"));
      ses[i].c = yaml_number(field(se, "c"));
      ses[i].d = yaml_number(field(se, "d"));
      read_b(field(se, "b"), ses[i].b);
    }
    const auto fit_doc = load_flow(find_meta(items[i].meta, "fit"));
    if (const ynode* fit = as_map(fit_doc)) {
      any_fit = true;
      fits[i].s_x2 = yaml_number(field(fit, "s_x2"));
      fits[i].df = yaml_number(field(fit, "df"));
      fits[i].p = yaml_number(field(fit, "p"));
    }
    const auto gen_doc = load_flow(find_meta(items[i].meta, "generating"));
    if (const ynode* gen = as_map(gen_doc)) {
      item_se g;  // the generating (true) parameters of a simulated calibration, same shape as SEs
      g.a = yaml_number(field(gen, "a"));
      g.c = yaml_number(field(gen, "c"));
      read_b(field(gen, "b"), g.b);
      generating[i] = std::move(g);
    }
    if (const auto* c = find_meta(items[i].meta, "calibration"); c && c->value.find("anchor") != std::string::npos)
      anchor[i] = true;
  }
  // A fit file overrides what the bank carries.
  bool fit_file_used = false, any_infit = false;
  if (!in.fit_text.empty()) {
    const auto extra = read_fit(in.fit_text, in.fit_name);
    for (std::size_t i = 0; i < n; ++i)
      if (const auto it = extra.find(items[i].id); it != extra.end()) {
        const auto& e = it->second;
        if (!std::isnan(e.p) || !std::isnan(e.s_x2)) {
          fits[i].s_x2 = e.s_x2;
          fits[i].df = e.df;
          fits[i].p = e.p;
          any_fit = true;
        }
        fits[i].rmsea = e.rmsea;
        fits[i].infit = e.infit;
        fits[i].outfit = e.outfit;
        any_infit = any_infit || std::isfinite(e.infit);
        fit_file_used = true;
      }
  }
  const log_rows log = in.log_text.empty() ? log_rows{} : read_log(in.log_text, in.log_name);
  json summary = nullptr;
  if (!in.summary_text.empty()) {
    try {
      summary = json::parse(in.summary_text);
    } catch (const json::exception& e) {
      throw parse_error(fmt::format("not JSON: {}", e.what()), location{.file = in.summary_name});
    }
  }
  // The run's figures: the summary JSON, else the bank meta `calibration`.
  std::map<std::string, std::string> run;
  const auto cal_doc = load_flow(find_meta(bank.info().meta, "calibration"));
  if (const ynode* cal = as_map(cal_doc))
    for (std::size_t k = 0; k + 1 < cal->children.size(); k += 2)
      if (cal->children[k]->is_scalar() && cal->children[k + 1]->is_scalar())
        run[cal->children[k]->value] = cal->children[k + 1]->value;
  if (summary.is_object())
    for (auto& [k, v] : summary.items())
      if (v.is_primitive()) run[k] = v.is_string() ? v.get<std::string>() : v.dump();

  // Flagged items, smallest p first.
  std::vector<std::size_t> flagged;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(fits[i].p) && fits[i].p < o.alpha) flagged.push_back(i);
  std::stable_sort(flagged.begin(), flagged.end(), [&](std::size_t a, std::size_t b) { return fits[a].p < fits[b].p; });

  const auto thetas = detail::grid(-4, 4, 0.05);
  std::vector<irt::difficulty_form> diff(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (items[i].params.kind == irt::model::nominal) {
      diff[i].kind = irt::model::nominal;
      diff[i].a = items[i].params.slope / D;
      continue;
    }
    diff[i] = irt::to_difficulty_form(items[i].params, D);
  }

  // Recovery: estimates against generating values, where the bank keeps them (meta `generating`).
  struct pairs {
    std::vector<double> truth, est;
  };
  pairs rec_a, rec_b, rec_c;
  for (std::size_t i = 0; i < n; ++i) {
    if (!generating[i]) continue;
    const auto& g = *generating[i];
    if (std::isfinite(g.a) && items[i].params.kind != irt::model::pcm && items[i].params.kind != irt::model::one_pl) {
      rec_a.truth.push_back(g.a);
      rec_a.est.push_back(diff[i].a);
    }
    for (std::size_t k = 0; k < std::min(g.b.size(), diff[i].b.size()); ++k)
      if (std::isfinite(g.b[k])) {
        rec_b.truth.push_back(g.b[k]);
        rec_b.est.push_back(diff[i].b[k]);
      }
    if (std::isfinite(g.c) && (diff[i].kind == irt::model::three_pl || diff[i].kind == irt::model::four_pl)) {
      rec_c.truth.push_back(g.c);
      rec_c.est.push_back(diff[i].c);
    }
  }
  struct recovery_stats {
    std::size_t n = 0;
    double bias = NAN, rmse = NAN, r = NAN;
  };
  const auto stats = [](const pairs& p) {
    recovery_stats r;
    r.n = p.truth.size();
    if (!r.n) return r;
    double sb = 0, ss = 0, mt = 0, me = 0;
    for (std::size_t k = 0; k < r.n; ++k) {
      const double e = p.est[k] - p.truth[k];
      sb += e;
      ss += e * e;
      mt += p.truth[k];
      me += p.est[k];
    }
    const double m = static_cast<double>(r.n);
    r.bias = sb / m;
    r.rmse = std::sqrt(ss / m);
    mt /= m;
    me /= m;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t k = 0; k < r.n; ++k) {
      sxy += (p.truth[k] - mt) * (p.est[k] - me);
      sxx += (p.truth[k] - mt) * (p.truth[k] - mt);
      syy += (p.est[k] - me) * (p.est[k] - me);
    }
    r.r = sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NAN;
    return r;
  };
  const auto sa = stats(rec_a), sb = stats(rec_b), sc = stats(rec_c);

  if (f == format::json) {
    json j;
    j["report"] = "calibration";
    j["bank"] = {{"id", bank.info().id}, {"fingerprint", bank.fingerprint()}, {"items", n}, {"scaling_d", D}};
    json jr = json::object();
    for (const auto& [k, v] : run) jr[k] = v;
    j["run"] = jr;
    j["log"] = {{"iteration", detail::nums(log.iteration)},
                {"log_likelihood", detail::nums(log.loglik)},
                {"max_change", detail::nums(log.change)}};
    json ji = json::array();
    for (std::size_t i = 0; i < n; ++i) {
      json it{{"id", items[i].id},
              {"model", std::string(irt::to_string(items[i].params.kind))},
              {"a", detail::num(diff[i].a)},
              {"b", detail::nums(diff[i].b)},
              {"c", detail::num(diff[i].c)},
              {"d", detail::num(diff[i].d)},
              {"se", {{"a", detail::num(ses[i].a)}, {"b", detail::nums(ses[i].b)}, {"c", detail::num(ses[i].c)},
                      {"d", detail::num(ses[i].d)}}},
              {"s_x2", detail::num(fits[i].s_x2)},
              {"df", detail::num(fits[i].df)},
              {"p", detail::num(fits[i].p)},
              {"infit", detail::num(fits[i].infit)},
              {"outfit", detail::num(fits[i].outfit)},
              {"flagged", std::isfinite(fits[i].p) && fits[i].p < o.alpha},
              {"anchor", anchor[i]}};
      ji.push_back(it);
    }
    j["items"] = ji;
    j["alpha"] = o.alpha;
    json jf = json::array();
    for (auto i : flagged) jf.push_back(items[i].id);
    j["flagged"] = jf;
    if (sa.n + sb.n + sc.n) {
      json jr2 = json::object();
      const auto put = [&](const char* k, const recovery_stats& r) {
        if (r.n) jr2[k] = {{"n", r.n}, {"bias", detail::num(r.bias)}, {"rmse", detail::num(r.rmse)}, {"correlation", detail::num(r.r)}};
      };
      put("a", sa);
      put("b", sb);
      put("c", sc);
      j["recovery"] = jr2;
    }
    return j.dump(2) + "\n";
  }

  html_document doc(o.title.empty() ? "Calibration report: " + bank.info().id : o.title);
  doc.fact("Bank", bank.info().id + (bank.info().title.empty() ? "" : " — " + bank.info().title));
  doc.fact("Fingerprint", bank.fingerprint());
  doc.fact("Items", std::to_string(n));
  doc.fact("Scale", fmt::format("D = {}", D));
  const auto& prov = bank.info().provenance;
  if (!prov.method.empty()) doc.fact("Method", prov.method);
  if (prov.sample) doc.fact("Persons", std::to_string(*prov.sample));
  if (!prov.date.empty()) doc.fact("Date", prov.date);
  if (fit_file_used) doc.fact("Fit file", in.fit_name);
  if (!in.log_text.empty()) doc.fact("Iteration log", in.log_name);

  doc.section("summary", "Summary");
  if (prov.data == "simulated") doc.note("The calibration data are simulated.");
  {
    std::vector<std::vector<std::string>> rows;
    for (const char* k : {"log_likelihood", "aic", "bic", "parameters", "persons", "unique_patterns", "iterations", "converged",
                          "standard_errors", "se_method", "se_positive_definite", "quadrature", "tolerance", "seconds"})
      if (const auto it = run.find(k); it != run.end()) rows.push_back({k, it->second});
    if (rows.empty() && !prov.note.empty()) doc.paragraph(prov.note);
    if (!rows.empty()) doc.table({"", "value"}, rows, "The calibration run");
    if (const auto it = run.find("converged"); it != run.end() && it->second == "false")
      doc.note("EM did NOT converge: the estimates may be unreliable (raise --max-iter or check the data).");
    if (const auto it = run.find("se_positive_definite"); it != run.end() && it->second == "false")
      doc.note("The information matrix is not positive definite: some standard errors are unreliable.");
    doc.paragraph(fmt::format("{} items; standard errors {}; S-X2 {} ({} items flagged at p < {}).", n,
                              any_se ? "present" : "not in the bank (calibrate with --se)",
                              any_fit ? "present" : "not available (calibrate with --fit, or pass --fit FILE from `dskill fit`)",
                              flagged.size(), o.alpha));
  }

  doc.section("convergence", "Convergence");
  if (log.iteration.empty()) {
    doc.paragraph("No iteration log given (write one with `dskill calibrate --log FILE`, pass it with --log).");
  } else {
    svg::xy_plot p("Log-likelihood by EM iteration", "iteration", "log-likelihood");
    p.line(log.iteration, log.loglik, "log-likelihood", "#0072B2").y_from_zero(false);
    doc.figure(p.render(), fmt::format("{} iterations; final log-likelihood {}.", log.iteration.size(),
                                       detail::fixed(log.loglik.back(), 4)));
    std::vector<double> lc;
    for (double c : log.change) lc.push_back(c > 0 ? std::log10(c) : NAN);
    svg::xy_plot q("Largest parameter change by iteration", "iteration", "log10(max change)");
    q.line(log.iteration, lc, "log10 max change", "#D55E00").y_from_zero(false);
    doc.figure(q.render());
  }

  doc.section("parameters", "Item parameters");
  {
    std::vector<double> idx, b, lo, hi;
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    const auto bval = [&](std::size_t i) { return bank.difficulties()[i]; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) { return bval(a) < bval(c); });
    for (std::size_t k = 0; k < n; ++k) {
      const auto i = order[k];
      idx.push_back(static_cast<double>(k + 1));
      b.push_back(bval(i));
      const double se = irt::is_dichotomous(items[i].params.kind) && !ses[i].b.empty() ? ses[i].b[0] : NAN;
      lo.push_back(std::isfinite(se) ? bval(i) - 1.96 * se : NAN);
      hi.push_back(std::isfinite(se) ? bval(i) + 1.96 * se : NAN);
    }
    svg::xy_plot p("Item difficulty with 95% intervals", "item (ordered by b)", "b");
    p.error_bars(idx, lo, hi, "#888").points(idx, b, "b", "#0072B2", 3).y_from_zero(false).x_range(0, static_cast<double>(n) + 1);
    doc.figure(p.render(), "Difficulty of each item (polytomous: mean threshold) with b ± 1.96 SE where the bank has SEs.");
    std::vector<double> a;
    for (std::size_t i = 0; i < n; ++i) a.push_back(diff[i].a);
    svg::xy_plot q("Discrimination against difficulty", "b", "a");
    q.points(std::vector<double>(bank.difficulties().begin(), bank.difficulties().end()), a, {}, "#0072B2", 3);
    std::vector<double> fb, fa;
    for (auto i : flagged) {
      fb.push_back(bank.difficulties()[i]);
      fa.push_back(diff[i].a);
    }
    if (!flagged.empty()) q.points(fb, fa, fmt::format("S-X2 p < {}", o.alpha), "#D55E00", 4);
    doc.figure(q.render());

    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& df = diff[i];
      std::string bs;
      for (std::size_t k = 0; k < df.b.size(); ++k)
        bs += (k ? "; " : "") + with_se(df.b[k], k < ses[i].b.size() ? ses[i].b[k] : NAN);
      const bool dich = irt::is_dichotomous(df.kind);
      const bool has_c = df.kind == irt::model::three_pl || df.kind == irt::model::four_pl;
      rows.push_back({items[i].id + (anchor[i] ? " (anchor)" : ""), std::string(irt::to_string(df.kind)),
                      df.kind == irt::model::pcm || df.kind == irt::model::one_pl ? detail::fixed(df.a, 3)
                                                                                  : with_se(df.a, ses[i].a),
                      bs, dich && has_c ? with_se(df.c, ses[i].c) : "", df.kind == irt::model::four_pl ? with_se(df.d, ses[i].d) : "",
                      detail::fixed(fits[i].s_x2, 2), std::isfinite(fits[i].df) ? detail::fixed(fits[i].df, 0) : "",
                      detail::fixed(fits[i].p, 4), std::isfinite(fits[i].p) && fits[i].p < o.alpha ? "misfit" : ""});
    }
    doc.table({"item", "model", "a (SE)", "b (SE)", "c (SE)", "d (SE)", "S-X2", "df", "p", "flag"}, rows,
              fmt::format("Parameters in difficulty form at D = {} with standard errors in brackets; S-X2 item fit "
                          "(Orlando & Thissen), flagged at p < {}",
                          D, o.alpha));
  }

  if (sa.n + sb.n + sc.n) {
    doc.section("recovery", "Recovery of the generating parameters");
    doc.paragraph("The bank keeps the values the data were simulated from (item meta `generating`): the estimates "
                  "are compared with them.");
    const auto scatter = [&](const char* title, const char* name, const pairs& p) {
      double lo = INFINITY, hi = -INFINITY;
      for (std::size_t k = 0; k < p.truth.size(); ++k)
        for (double v : {p.truth[k], p.est[k]})
          if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
          }
      const auto [alo, ahi] = nice_range(lo, hi);
      svg::xy_plot q(title, fmt::format("generating {}", name), fmt::format("estimated {}", name));
      q.points(p.truth, p.est, {}, "#0072B2", 2.5).line({alo, ahi}, {alo, ahi}, "identity", "#D55E00", true);
      q.x_range(alo, ahi).y_range(alo, ahi).y_from_zero(false).size(520, 480);
      doc.figure(q.render());
    };
    if (sb.n) scatter("Difficulty: estimated against generating", "b", rec_b);
    if (sa.n) scatter("Discrimination: estimated against generating", "a", rec_a);
    std::vector<std::vector<std::string>> rows;
    const auto row = [&](const char* k, const recovery_stats& r) {
      if (r.n)
        rows.push_back({k, std::to_string(r.n), detail::fixed(r.bias, 4), detail::fixed(r.rmse, 4), detail::fixed(r.r, 4)});
    };
    row("a", sa);
    row("b (every threshold)", sb);
    row("c", sc);
    doc.table({"parameter", "values", "bias", "RMSE", "correlation"}, rows, "Estimates against generating values");
  }

  doc.section("fit", "Item fit");
  if (!any_fit && !any_infit) {
    doc.paragraph("No item fit available: calibrate with --fit, or run `dskill fit` and pass its output with --fit.");
  } else {
    if (any_fit) {
      std::vector<double> ps;
      for (const auto& fi : fits)
        if (std::isfinite(fi.p)) ps.push_back(fi.p);
      const auto h = make_histogram(ps, 0.0, 1.0, 20);
      svg::xy_plot p("Distribution of S-X2 p-values", "p", "items");
      p.bars(h.edges, h.counts, {}, "#0072B2").vline(o.alpha, fmt::format("alpha {}", o.alpha), "#D55E00");
      doc.figure(p.render(), "Under good fit the p-values are roughly uniform; a pile-up near 0 means misfit.");
    }
    if (any_infit) {
      std::vector<double> in_, out_;
      for (const auto& fi : fits) {
        in_.push_back(fi.infit);
        out_.push_back(fi.outfit);
      }
      svg::xy_plot p("Infit against outfit mean squares", "infit", "outfit");
      p.points(in_, out_, {}, "#0072B2", 3).vline(1.0).hline(1.0).y_from_zero(false);
      doc.figure(p.render(), "Mean squares near 1 fit; above 1.3 or below 0.7 deserve a look.");
    }
    if (flagged.empty()) {
      doc.paragraph(fmt::format("No item has an S-X2 p below {}.", o.alpha));
    } else {
      const std::size_t k = std::min(o.max_icc, flagged.size());
      svg::xy_plot p("Item characteristic curves of misfitting items", "theta", "P(correct) or expected score / max");
      p.y_range(0, 1);
      for (std::size_t j = 0; j < k; ++j) {
        const auto i = flagged[j];
        p.line(thetas, detail::icc(items[i].params, thetas),
               fmt::format("{} (p {})", items[i].id, detail::fixed(fits[i].p, 4)), palette(j));
      }
      doc.figure(p.render(), fmt::format("Model curves of the {} items with the smallest S-X2 p-values (of {} flagged). "
                                         "Run `dskill fit` on the responses to see where observed and expected proportions "
                                         "part.",
                                         k, flagged.size()));
    }
  }
  return doc.render();
}

}  // namespace report
DSKILL_END_NAMESPACE
