#include "dskill/calibrate/bank_output.hpp"

#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "dskill/core/time.hpp"
#include "dskill/error.hpp"
#include "bank_text.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/yaml_tree.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

namespace {
using detail::yaml_number;
// Shorter at the many call sites below.
inline std::string num(double v) { return yaml_number(v); }
std::string se_meta(const item_estimate& e, double D) {
  const auto kind = e.params.kind;
  std::string s = "{";
  bool first = true;
  auto add = [&](std::string_view key, std::string value) {
    s += fmt::format("{}{}: {}", first ? "" : ", ", key, value);
    first = false;
  };
  // 1PL items of a rescaled Rasch calibration share an estimated slope, which has an SE.
  if (kind != irt::model::pcm && std::isfinite(e.se_slope)) add("a", num(e.se_slope / D));
  if (irt::is_dichotomous(kind)) {
    add("b", num(e.se_b.empty() ? NAN : e.se_b[0]));
  } else {
    std::string b = "[";
    for (std::size_t k = 0; k < e.se_b.size(); ++k) b += (k ? ", " : "") + num(e.se_b[k]);
    add("b", b + "]");
  }
  if (kind == irt::model::three_pl || kind == irt::model::four_pl) add("c", num(e.se_lower));
  if (kind == irt::model::four_pl) add("d", num(e.se_upper));
  return s + "}";
}
}  // namespace

void take_bank_fields(const bank::item_bank& tpl, bank::bank_info& info, bool keep_title) {
  if (!keep_title) {
    info.title = tpl.info().title;
    info.titles = tpl.info().titles;
  }
  info.framework_id = tpl.info().framework_id;
  info.framework_version = tpl.info().framework_version;
  info.languages = tpl.info().languages;
  for (const auto& m : tpl.info().meta)
    if (m.key != "calibration") info.meta.push_back(m);
}

bank::bank_item take_item_fields(const bank::item_bank* tpl, const std::string& id, const std::set<std::string>& written,
                                 bank::item_status status) {
  bank::bank_item it;
  if (const auto k = tpl ? tpl->find(id) : std::nullopt) {
    it = tpl->item(*k);
    // The template's SEs and fit belong to its own calibration.
    std::erase_if(it.meta, [](const bank::meta_entry& m) { return m.key == "se" || m.key == "fit"; });
    // Enemies left out of this calibration are not in the written bank.
    std::erase_if(it.enemies, [&](const std::string& en) { return !written.count(en); });
  } else {
    it.status = status;
  }
  it.id = id;
  return it;
}

namespace {
// The difficulty-form parameters of an item as a YAML flow map (at scaling D).
std::string params_text(const irt::item_params& p, double D) {
  const auto f = irt::to_difficulty_form(p, D);
  std::string s = fmt::format("{{model: {}, a: {}", irt::to_string(p.kind), num(f.a));
  if (f.b.size() == 1) s += fmt::format(", b: {}", num(f.b[0]));
  else {
    s += ", b: [";
    for (std::size_t k = 0; k < f.b.size(); ++k) s += (k ? ", " : "") + num(f.b[k]);
    s += "]";
  }
  if (p.kind == irt::model::three_pl || p.kind == irt::model::four_pl) s += fmt::format(", c: {}", num(f.c));
  if (p.kind == irt::model::four_pl) s += fmt::format(", d: {}", num(f.d));
  return s + "}";
}
}  // namespace

bank::item_bank merge_parameters(const bank::item_bank& base, const bank::item_bank& cal, bool add_new,
                                 bank::item_status new_status, const std::string& date, merge_report* report) {
  if (base.multidimensional() || cal.multidimensional())
    throw invalid_argument("merging parameters takes unidimensional banks (a profile bank is written whole by calibrate --factors --template)");
  if (base.scaling() != cal.scaling())
    throw invalid_argument(fmt::format("the banks use different scaling constants D ({} and {}); write the calibration with --D {}",
                                       base.scaling(), cal.scaling(), base.scaling()));
  merge_report r;
  const std::string when = date.empty() ? core::utc_timestamp(core::utc_format::date) : date;
  const auto& prov = base.info().provenance;
  auto items = base.items();
  for (auto& it : items) {
    const auto k = cal.find(it.id);
    if (!k) {
      ++r.unchanged;
      continue;
    }
    const auto& src = cal.item(*k);
    // The parameters being replaced, with where they came from (the item's parameters_from, or
    // the bank's provenance), go to the item's history.
    std::string from = fmt::format("{{bank: \"{}\", method: \"{}\", date: \"{}\"}}", base.info().id, prov.method, prov.date);
    std::string history;
    for (const auto& m : it.meta) {
      if (m.key == "parameters_from") from = m.value;
      if (m.key == "history" && m.value.size() > 2 && m.value.front() == '[') history = m.value.substr(0, m.value.size() - 1) + ", ";
    }
    history = (history.empty() ? "[" : history) +
              fmt::format("{{until: \"{}\", params: {}, from: {}}}]", when, params_text(it.params, base.scaling()), from);
    std::erase_if(it.meta, [](const bank::meta_entry& m) {
      return m.key == "se" || m.key == "fit" || m.key == "history" || m.key == "parameters_from";
    });
    for (const auto& m : src.meta)
      if (m.key == "se" || m.key == "fit") it.meta.push_back(m);
    const auto& cp = cal.info().provenance;
    it.meta.push_back({"parameters_from",
                       fmt::format("{{bank: \"{}\", method: \"{}\", date: \"{}\", merged: \"{}\"}}", cal.info().id, cp.method,
                                   cp.date, when),
                       true});
    it.meta.push_back({"history", history, true});
    it.params = src.params;
    ++r.updated;
  }
  for (const auto& src : cal.items()) {
    if (base.find(src.id)) continue;
    if (!add_new) {
      ++r.not_in_base;
      continue;
    }
    auto it = src;
    it.status = new_status;
    items.push_back(std::move(it));
    ++r.added;
  }
  auto info = base.info();
  info.provenance.note = (info.provenance.note.empty() ? "" : info.provenance.note + "; ") +
                         fmt::format("{}: parameters of {} items from {} ({}, {})", when, r.updated, cal.info().id,
                                     cal.info().provenance.method, cal.info().provenance.date);
  for (const auto& m : cal.info().meta)
    if (m.key == "calibration") {
      std::erase_if(info.meta, [](const bank::meta_entry& x) { return x.key == "calibration"; });
      info.meta.push_back(m);
    }
  if (report) *report = r;
  return bank::item_bank(std::move(info), std::move(items));
}

bank::item_bank make_bank(const result& res, const std::vector<std::string>& ids, const bank_output_options& o,
                          const std::vector<sx2_item>* fit, const options* used) {
  if (ids.size() != res.items.size())
    throw invalid_argument(fmt::format("make_bank: {} ids for {} items", ids.size(), res.items.size()));
  if (!(o.scaling > 0)) throw invalid_argument(fmt::format("scaling constant D must be > 0, got {}", o.scaling));
  bank::bank_info info;
  info.id = o.id;
  info.title = o.title;
  info.scaling = o.scaling;
  info.param_form = "difficulty";
  info.provenance.method = o.method;
  std::size_t persons = 0;
  for (const auto& g : res.groups) persons += g.persons;
  info.provenance.sample = static_cast<long>(persons);
  info.provenance.date = o.date.empty() ? core::utc_timestamp(core::utc_format::date) : o.date;
  info.provenance.data = o.data;
  info.provenance.note = o.note.empty()
                             ? fmt::format("logLik {:.4f}, AIC {:.4f}, BIC {:.4f}, {} parameters, {} EM iterations, {}",
                                           res.log_likelihood, res.aic, res.bic, res.parameters, res.iterations,
                                           res.converged ? "converged" : "NOT converged")
                             : o.note;
  std::string latent = "[";
  for (std::size_t g = 0; g < res.groups.size(); ++g)
    latent += fmt::format("{}{{mean: {}, sd: {}, persons: {}}}", g ? ", " : "", num(res.groups[g].mean),
                          num(res.groups[g].sd), res.groups[g].persons);
  latent += "]";
  std::string cal = fmt::format(
      "{{engine: dskill, method: MML-EM, log_likelihood: {:.6f}, aic: {:.6f}, bic: {:.6f}, parameters: {}, "
      "persons: {}, unique_patterns: {}, iterations: {}, converged: {}, latent: {}",
      res.log_likelihood, res.aic, res.bic, res.parameters, persons, res.unique_patterns, res.iterations,
      res.converged ? "true" : "false", latent);
  if (used)
    cal += fmt::format(", quadrature: \"{}:{}:{}\", tolerance: {}", used->grid.lo, used->grid.hi, used->grid.n,
                       used->tolerance);
  if (res.standard_errors) cal += fmt::format(", se_method: oakes, se_positive_definite: {}", res.se_positive_definite);
  if (res.latent_sd_rasch != 1.0) cal += fmt::format(", rasch_latent_sd: {}", num(res.latent_sd_rasch));
  cal += "}";
  if (o.template_bank) take_bank_fields(*o.template_bank, info, !o.title.empty());
  info.meta.push_back({"calibration", cal, true});
  const std::set<std::string> written(ids.begin(), ids.end());
  std::vector<bank::bank_item> items;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& e = res.items[i];
    if (e.params.kind == irt::model::pcm && o.scaling != 1.0)
      throw invalid_argument(fmt::format("item '{}': a PCM item has slope 1 on the logit scale, which cannot be written with D = {}; use D = 1 or gpcm",
                                         ids[i], o.scaling));
    bank::bank_item it = take_item_fields(o.template_bank, ids[i], written, o.status);
    it.params = e.params;
    if (o.standard_errors && res.standard_errors && !e.fixed) it.meta.push_back({"se", se_meta(e, o.scaling), true});
    if (fit && i < fit->size()) {
      const auto& f = (*fit)[i];
      it.meta.push_back({"fit", fmt::format("{{s_x2: {}, df: {}, p: {}}}", num(f.statistic), f.df, num(f.p)), true});
    }
    if (e.fixed) it.meta.push_back({"calibration", "anchor (held fixed)", false});
    items.push_back(std::move(it));
  }
  return bank::item_bank(std::move(info), std::move(items));
}

bank::item_bank extend_bank(const bank::item_bank& base, const std::vector<item_estimate>& est,
                            const std::vector<std::string>& ids, bank::item_status status, const std::string& note) {
  auto items = base.items();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (base.find(ids[i]) || est[i].fixed) continue;
    bank::bank_item it;
    it.id = ids[i];
    it.params = est[i].params;
    it.status = status;
    it.meta.push_back({"se", se_meta(est[i], base.scaling()), true});
    if (!note.empty()) it.meta.push_back({"calibration", note, false});
    items.push_back(std::move(it));
  }
  return bank::item_bank(base.info(), std::move(items));
}

std::map<std::string, irt::model> read_model_map(const std::string& path) {
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error("cannot open item model file", {.file = path});
  }
  const io::detail::ydoc doc = io::detail::parse_yaml(text, path);
  const io::detail::ynode* root = doc.root;
  const auto value_of = [](const io::detail::ynode* map, std::string_view key) -> const io::detail::ynode* {
    for (std::size_t i = 0; i + 1 < map->children.size(); i += 2)
      if (map->children[i]->is_scalar() && map->children[i]->value == key) return map->children[i + 1];
    return nullptr;
  };
  if (root && root->is_map())
    if (const auto* models = value_of(root, "models"); models && models->is_map()) root = models;
  if (!root || !root->is_map())
    throw parse_error("expected a map of item id to model, e.g. {q1: 3pl, q2: grm}", {.file = path});
  std::map<std::string, irt::model> out;
  for (std::size_t i = 0; i + 1 < root->children.size(); i += 2) {
    const auto* key = root->children[i];
    const auto* value = root->children[i + 1];
    const std::string id = key->is_scalar() ? key->value : std::string();
    const std::string name = value->is_scalar() ? value->value : std::string();
    const auto m = irt::parse_model(name);
    if (!m || *m == irt::model::nominal)
      throw parse_error(fmt::format("unknown model '{}' (1pl, 2pl, 3pl, 4pl, grm, gpcm or pcm)", name),
                        {.file = path, .line = value->line, .column = value->column, .item_id = id});
    out[id] = *m;
  }
  return out;
}

std::map<std::string, std::string> read_person_values(const std::string& path) {
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error("cannot open", {.file = path});
  }
  std::map<std::string, std::string> out;
  std::vector<std::string> f;
  int n = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto end = std::min(text.find('\n', pos), text.size());
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++n;
    if (n == 1 || line.empty() || line == "\r") continue;
    if (!io::split_csv_record(line, f) || f.size() < 2)
      throw parse_error("expected person_id,value", {.file = path, .line = n, .row = static_cast<std::size_t>(n - 1)});
    out[f[0]] = f[1];
  }
  return out;
}

void write_params_csv(const std::string& path, const std::vector<item_estimate>& items, const std::vector<std::string>& ids,
                      double D) {
  std::ostringstream out;
  std::size_t nb = 1;
  for (const auto& e : items) nb = std::max(nb, e.params.intercepts.size());
  out << "item,model,a";
  for (std::size_t k = 1; k <= nb; ++k) out << ",b" << k;
  out << ",c,d,se_a";
  for (std::size_t k = 1; k <= nb; ++k) out << ",se_b" << k;
  out << ",se_c,se_d\n";
  auto v = [](double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : std::string(); };
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& e = items[i];
    const auto f = irt::to_difficulty_form(e.params, D);
    out << io::csv_escape(ids[i]) << ',' << irt::to_string(e.params.kind) << ',' << v(f.a);
    for (std::size_t k = 0; k < nb; ++k) out << ',' << (k < f.b.size() ? v(f.b[k]) : "");
    out << ',' << v(f.c) << ',' << v(f.d) << ',' << v(e.se_slope / D);
    for (std::size_t k = 0; k < nb; ++k) out << ',' << (k < e.se_b.size() ? v(e.se_b[k]) : "");
    out << ',' << v(e.se_lower) << ',' << v(e.se_upper) << '\n';
  }
  io::write_file_text(path, out.str());
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
