// dskill::cat test specification: names, validation, YAML reading and canonical writing.
#include "dskill/cat/spec.hpp"
#include "dskill/cat/spec_diagnostics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dskill/cat/registry.hpp"
#include "dskill/core/hash.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/yaml_tree.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::string_view to_string(criterion c) noexcept {
  switch (c) {
    case criterion::mfi: return "mfi";
    case criterion::bopt: return "bopt";
    case criterion::mlwi: return "mlwi";
    case criterion::mpwi: return "mpwi";
    case criterion::kl: return "kl";
    case criterion::klp: return "klp";
    case criterion::mei: return "mei";
    case criterion::mepv: return "mepv";
    case criterion::random: return "random";
    case criterion::progressive: return "progressive";
    case criterion::proportional: return "proportional";
    case criterion::a_stratified: return "a_stratified";
  }
  return "?";
}

std::optional<criterion> parse_criterion(std::string_view name) noexcept {
  const std::string n = lower(name);
  for (int i = 0; i <= static_cast<int>(criterion::a_stratified); ++i)
    if (to_string(static_cast<criterion>(i)) == n) return static_cast<criterion>(i);
  if (n == "astrat" || n == "a-stratified") return criterion::a_stratified;
  return std::nullopt;
}

std::string_view to_string(start_kind k) noexcept {
  switch (k) {
    case start_kind::fixed_theta: return "fixed_theta";
    case start_kind::random_window: return "random_window";
    case start_kind::fixed_items: return "fixed_items";
  }
  return "?";
}

namespace {
std::string_view to_string(blueprint_by b) noexcept {
  switch (b) {
    case blueprint_by::area: return "area";
    case blueprint_by::competence: return "competence";
    case blueprint_by::level: return "level";
  }
  return "?";
}
std::string_view to_string(balancing b) noexcept {
  switch (b) {
    case balancing::none: return "none";
    case balancing::kingsbury_zara: return "kingsbury_zara";
    case balancing::weighted_deviations: return "weighted_deviations";
  }
  return "?";
}
std::string_view to_string(classification_kind c) noexcept {
  switch (c) {
    case classification_kind::none: return "none";
    case classification_kind::sprt: return "sprt";
    case classification_kind::confidence_interval: return "confidence_interval";
  }
  return "?";
}
std::string_view to_string(prior_kind p) noexcept {
  switch (p) {
    case prior_kind::normal: return "normal";
    case prior_kind::uniform: return "uniform";
    case prior_kind::custom: return "custom";
  }
  return "?";
}
}  // namespace

void validate(const test_spec& s) {
  auto bad = [](std::string_view field, auto value, std::string_view why) {
    return invalid_argument(fmt::format("test specification: {} = {}: {}", field, value, why));
  };
  if (s.stopping.max_items < 1) throw bad("stopping.max_items", s.stopping.max_items, "must be at least 1");
  if (s.stopping.min_items < 0 || s.stopping.min_items > s.stopping.max_items)
    throw bad("stopping.min_items", s.stopping.min_items, "must be between 0 and max_items");
  if (!(s.stopping.se >= 0)) throw bad("stopping.se", s.stopping.se, "must be >= 0");
  if (!(s.stopping.min_information >= 0)) throw bad("stopping.min_information", s.stopping.min_information, "must be >= 0");
  if (!(s.stopping.alpha > 0 && s.stopping.alpha < 0.5)) throw bad("stopping.alpha", s.stopping.alpha, "must be in (0, 0.5)");
  if (!(s.stopping.beta > 0 && s.stopping.beta < 0.5)) throw bad("stopping.beta", s.stopping.beta, "must be in (0, 0.5)");
  if (!(s.stopping.indifference > 0)) throw bad("stopping.indifference", s.stopping.indifference, "must be > 0");
  if (!(s.stopping.confidence > 0 && s.stopping.confidence < 1))
    throw bad("stopping.confidence", s.stopping.confidence, "must be in (0, 1)");
  for (std::size_t i = 0; i < s.stopping.cuts.size(); ++i) {
    if (!std::isfinite(s.stopping.cuts[i])) throw bad("stopping.cuts", s.stopping.cuts[i], "must be finite");
    if (i > 0 && !(s.stopping.cuts[i] > s.stopping.cuts[i - 1]))
      throw bad("stopping.cuts", s.stopping.cuts[i], "cuts must increase");
  }
  if (!(s.stopping.se_per_area >= 0) || !std::isfinite(s.stopping.se_per_area))
    throw bad("stopping.se_per_area", s.stopping.se_per_area, "must be >= 0");
  for (std::size_t i = 0; i < s.stopping.areas.size(); ++i) {
    if (s.stopping.areas[i].empty()) throw invalid_argument("test specification: stopping.areas has an empty id");
    for (std::size_t j = 0; j < i; ++j)
      if (s.stopping.areas[j] == s.stopping.areas[i]) throw bad("stopping.areas", s.stopping.areas[i], "appears twice");
  }
  for (std::size_t i = 0; i < s.selection.weights.size(); ++i) {
    const auto& [id, w] = s.selection.weights[i];
    if (!(std::isfinite(w) && w >= 0)) throw bad("selection.weights", w, "must be finite and >= 0");
    for (std::size_t j = 0; j < i; ++j)
      if (s.selection.weights[j].first == id) throw bad("selection.weights", id, "appears twice");
  }
  for (std::size_t i = 0; i < s.stopping.area_cuts.size(); ++i) {
    const auto& [id, cuts] = s.stopping.area_cuts[i];
    if (cuts.empty()) throw bad("stopping.classification.area_cuts", id, "needs at least one cut");
    for (std::size_t k = 0; k < cuts.size(); ++k) {
      if (!std::isfinite(cuts[k])) throw bad("stopping.classification.area_cuts", cuts[k], "must be finite");
      if (k > 0 && !(cuts[k] > cuts[k - 1])) throw bad("stopping.classification.area_cuts", cuts[k], "cuts must increase");
    }
    for (std::size_t j = 0; j < i; ++j)
      if (s.stopping.area_cuts[j].first == id) throw bad("stopping.classification.area_cuts", id, "appears twice");
  }
  if (s.stopping.classification != classification_kind::none && s.stopping.cuts.empty() && s.stopping.area_cuts.empty())
    throw invalid_argument("test specification: classification needs stopping.cuts");
  const auto& g = s.selection.grid;
  if (g.n < 2 || g.n > 100000 || !(g.hi > g.lo) || !std::isfinite(g.lo) || !std::isfinite(g.hi))
    throw bad("selection.quadrature", fmt::format("{}:{}:{}", g.lo, g.hi, g.n), "needs 2 to 100000 nodes and hi > lo");
  if (s.selection.strata < 1 || s.selection.strata > 1000) throw bad("selection.strata", s.selection.strata, "must be 1..1000");
  if (!(s.selection.acceleration >= 0) || !std::isfinite(s.selection.acceleration))
    throw bad("selection.acceleration", s.selection.acceleration, "must be >= 0");
  if (s.exposure.randomesque < 1) throw bad("exposure.randomesque", s.exposure.randomesque, "must be at least 1");
  if (!(s.exposure.restricted_max >= 0 && s.exposure.restricted_max <= 1))
    throw bad("exposure.restricted_max", s.exposure.restricted_max, "must be in [0, 1]");
  if (!std::isfinite(s.start.theta)) throw bad("start.theta", s.start.theta, "must be finite");
  if (s.start.count < 0) throw bad("start.count", s.start.count, "must be >= 0");
  if (!(s.start.window_hi >= s.start.window_lo)) throw bad("start.window", s.start.window_hi, "hi must be >= lo");
  std::set<std::string> keys;
  for (const auto& t : s.content.targets) {
    if (!keys.insert(t.key).second) throw bad("content.targets.key", t.key, "appears twice");
    if (t.proportion > 1) throw bad("content.targets.proportion", t.proportion, "must be <= 1");
    if (t.min < 0) throw bad("content.targets.min", t.min, "must be >= 0");
    if (t.max >= 0 && t.max < t.min) throw bad("content.targets.max", t.max, "must be >= min");
    if (!(t.weight >= 0)) throw bad("content.targets.weight", t.weight, "must be >= 0");
  }
  estimate::validate(s.estimator);
}

// ---- YAML ---------------------------------------------------------------------------------------

namespace {

using io::detail::diag_sink;
using io::detail::map_fields;
using io::detail::ynode;
using namespace std::string_view_literals;

constexpr std::array root_keys{"dskill"sv, "test"sv, "start"sv, "selection"sv, "estimation"sv, "exposure"sv, "content"sv, "stopping"sv};
constexpr std::array test_keys{"id"sv, "include_pretest"sv};
constexpr std::array start_keys{"rule"sv, "theta"sv, "count"sv, "window"sv, "items"sv};
constexpr std::array selection_keys{"rule"sv,         "quadrature"sv, "mei_method"sv, "mei_information"sv,
                                    "acceleration"sv, "strata"sv,     "weights"sv};
constexpr std::array estimation_keys{"method"sv, "prior"sv, "quadrature"sv, "rule"sv, "bounds"sv,
                                     "se_information"sv, "wle"sv, "tolerance"sv, "max_iterations"sv};
constexpr std::array prior_keys{"kind"sv, "mean"sv, "sd"sv, "weights"sv};
constexpr std::array exposure_keys{"randomesque"sv, "sympson_hetter"sv, "restricted_max"sv};
constexpr std::array content_keys{"by"sv, "method"sv, "information_weight"sv, "targets"sv};
constexpr std::array target_keys{"key"sv, "proportion"sv, "min"sv, "max"sv, "weight"sv};
constexpr std::array stopping_keys{"min_items"sv, "max_items"sv, "se"sv,      "min_information"sv,
                                   "combine"sv,   "rules"sv,     "classification"sv, "se_per_area"sv,
                                   "areas"sv};
constexpr std::array classification_keys{"method"sv, "cuts"sv,       "indifference"sv, "alpha"sv,
                                         "beta"sv,   "confidence"sv, "area_cuts"sv};

// Reads the document tree into a test_spec, reporting every problem to the sink with its
// position; a field with a bad value keeps its default so that reading can go on.
class reader {
 public:
  explicit reader(diag_sink& sink) : sink_(sink) {}

  void read(const ynode* root, test_spec& s) {
    if (!root || !root->is_map()) {
      sink_.error(root, {}, "not-a-spec", "a test specification must be a YAML mapping");
      return;
    }
    const map_fields top(*root, root_keys, sink_, {}, "'top level'");
    if (const ynode* v = top.get("dskill")) {
      if (auto version = integer(v, "dskill"); version && *version != 1)
        sink_.error(v, {}, "schema-version", "unsupported schema version (this dskill reads 1)");
    } else {
      sink_.error(root, {}, "missing-key", "missing 'dskill: 1' (schema version)");
    }
    if (const auto t = section(top, "test", test_keys)) {
      set(s.id, str(t->get("id"), "test.id"));
      set(s.include_pretest, boolean(t->get("include_pretest"), "test.include_pretest"));
    }
    if (const auto t = section(top, "start", start_keys)) {
      if (auto name = registered(registry::global().start, t->get("rule"), "start.rule"))
        s.start.kind = rule_name<start_kind>(*name);
      set(s.start.theta, num(t->get("theta"), "start.theta"));
      set(s.start.count, integer(t->get("count"), "start.count"));
      if (const ynode* w = t->get("window")) {
        if (auto v = nums(w, "start.window")) {
          if (v->size() != 2) {
            sink_.error(w, {}, "value", "'start.window' must be [lo, hi]");
          } else {
            s.start.window_lo = (*v)[0];
            s.start.window_hi = (*v)[1];
          }
        }
      }
      if (const ynode* items = t->get("items")) {
        if (!items->is_sequence()) {
          sink_.error(items, {}, "type", "'start.items' must be a list of item ids");
        } else {
          for (const ynode* x : items->children)
            if (auto id = str(x, "start.items")) s.start.items.push_back(std::move(*id));
        }
      }
    }
    if (const auto t = section(top, "selection", selection_keys)) {
      if (auto name = registered(registry::global().selectors, t->get("rule"), "selection.rule"))
        s.selection.rule = rule_name<criterion>(*name);
      set(s.selection.grid, grid(t->get("quadrature"), "selection.quadrature"));
      set(s.selection.mei_method, method(t->get("mei_method"), "selection.mei_method"));
      set(s.selection.mei_information,
          choice<estimate::information_kind>(t->get("mei_information"), "selection.mei_information",
                                             {{"observed", estimate::information_kind::observed},
                                              {"expected", estimate::information_kind::expected},
                                              {"fisher", estimate::information_kind::expected}}));
      set(s.selection.acceleration, num(t->get("acceleration"), "selection.acceleration"));
      set(s.selection.strata, integer(t->get("strata"), "selection.strata"));
      if (const ynode* w = t->get("weights")) {
        if (!w->is_map()) {
          sink_.error(w, {}, "type", "'selection.weights' must be a mapping of dimension (or area) ids to numbers");
        } else {
          for (std::size_t k = 0; k + 1 < w->children.size(); k += 2)
            if (auto x = num(w->children[k + 1], "selection.weights")) s.selection.weights.emplace_back(w->children[k]->value, *x);
        }
      }
    }
    if (const auto t = section(top, "estimation", estimation_keys)) {
      auto& o = s.estimator;
      // A built-in method sets the options; any other name must be a registered estimator.
      if (const ynode* m = t->get("method")) {
        if (auto text = str(m, "estimation.method")) {
          if (const auto builtin = estimate::parse_method(*text))
            o.estimator = *builtin;
          else if (auto name = registered(registry::global().estimators, m, "estimation.method"))
            s.estimator_rule = std::move(*name);
        }
      }
      if (const auto p = section(*t, "prior", prior_keys, "estimation.prior")) {
        set(o.prior_.kind, choice<prior_kind>(p->get("kind"), "estimation.prior.kind",
                                              {{"normal", prior_kind::normal}, {"uniform", prior_kind::uniform},
                                               {"custom", prior_kind::custom}}));
        set(o.prior_.mean, num(p->get("mean"), "estimation.prior.mean"));
        set(o.prior_.sd, num(p->get("sd"), "estimation.prior.sd"));
        set(o.prior_.weights, nums(p->get("weights"), "estimation.prior.weights"));
      }
      set(o.grid, grid(t->get("quadrature"), "estimation.quadrature"));
      set(o.rule, choice<integration_rule>(t->get("rule"), "estimation.rule",
                                           {{"normalized_density", integration_rule::normalized_density},
                                            {"trapezoid", integration_rule::trapezoid}}));
      if (const ynode* b = t->get("bounds")) {
        if (auto v = nums(b, "estimation.bounds")) {
          if (v->size() != 2) {
            sink_.error(b, {}, "value", "'estimation.bounds' must be [lower, upper]");
          } else {
            o.lower_bound = (*v)[0];
            o.upper_bound = (*v)[1];
          }
        }
      }
      set(o.se_information, choice<estimate::information_kind>(t->get("se_information"), "estimation.se_information",
                                                               {{"expected", estimate::information_kind::expected},
                                                                {"observed", estimate::information_kind::observed}}));
      set(o.wle, choice<estimate::wle_variant>(t->get("wle"), "estimation.wle",
                                               {{"warm", estimate::wle_variant::warm},
                                                {"jeffreys", estimate::wle_variant::jeffreys}}));
      set(o.tolerance, num(t->get("tolerance"), "estimation.tolerance"));
      set(o.max_iterations, integer(t->get("max_iterations"), "estimation.max_iterations"));
    }
    if (const auto t = section(top, "exposure", exposure_keys)) {
      set(s.exposure.randomesque, integer(t->get("randomesque"), "exposure.randomesque"));
      set(s.exposure.sympson_hetter, boolean(t->get("sympson_hetter"), "exposure.sympson_hetter"));
      set(s.exposure.restricted_max, num(t->get("restricted_max"), "exposure.restricted_max"));
    }
    if (const auto t = section(top, "content", content_keys)) {
      auto& bp = s.content;
      set(bp.by, choice<blueprint_by>(t->get("by"), "content.by",
                                      {{"area", blueprint_by::area}, {"competence", blueprint_by::competence},
                                       {"level", blueprint_by::level}}));
      set(bp.method, choice<balancing>(t->get("method"), "content.method",
                                       {{"none", balancing::none}, {"kingsbury_zara", balancing::kingsbury_zara},
                                        {"weighted_deviations", balancing::weighted_deviations}}));
      set(bp.information_weight, num(t->get("information_weight"), "content.information_weight"));
      if (const ynode* ts = t->get("targets")) {
        if (!ts->is_sequence()) {
          sink_.error(ts, {}, "type", "'content.targets' must be a list");
        } else {
          for (const ynode* x : ts->children) {
            if (!x->is_map()) {
              sink_.error(x, {}, "type", fmt::format("'content.targets' must be a mapping, not {}", io::detail::describe(*x)));
              continue;
            }
            const map_fields f(*x, target_keys, sink_, {}, "'content.targets'");
            blueprint_target bt;
            if (!f.get("key")) sink_.error(x, {}, "missing-key", "a content target needs a 'key'");
            set(bt.key, str(f.get("key"), "content.targets.key"));
            set(bt.proportion, num(f.get("proportion"), "content.targets.proportion"));
            set(bt.min, integer(f.get("min"), "content.targets.min"));
            set(bt.max, integer(f.get("max"), "content.targets.max"));
            set(bt.weight, num(f.get("weight"), "content.targets.weight"));
            bp.targets.push_back(std::move(bt));
          }
        }
      }
    }
    if (const auto t = section(top, "stopping", stopping_keys)) {
      auto& sp = s.stopping;
      set(sp.min_items, integer(t->get("min_items"), "stopping.min_items"));
      set(sp.max_items, integer(t->get("max_items"), "stopping.max_items"));
      set(sp.se, num(t->get("se"), "stopping.se"));
      set(sp.min_information, num(t->get("min_information"), "stopping.min_information"));
      set(sp.se_per_area, num(t->get("se_per_area"), "stopping.se_per_area"));
      if (const ynode* a = t->get("areas")) {
        if (!a->is_sequence()) {
          sink_.error(a, {}, "type", "'stopping.areas' must be a list of dimension (or area) ids");
        } else {
          for (const ynode* x : a->children)
            if (auto id = str(x, "stopping.areas")) sp.areas.push_back(std::move(*id));
        }
      }
      set(sp.combine, choice<combine_rule>(t->get("combine"), "stopping.combine",
                                           {{"any", combine_rule::any}, {"all", combine_rule::all}}));
      if (const ynode* r = t->get("rules")) {
        if (!r->is_sequence()) {
          sink_.error(r, {}, "type", "'stopping.rules' must be a list of stopping rule names");
        } else {
          for (const ynode* x : r->children)
            if (auto name = registered(registry::global().stopping, x, "stopping.rules")) sp.rules.push_back(std::move(*name));
        }
      }
      if (const auto c = section(*t, "classification", classification_keys, "stopping.classification")) {
        set(sp.classification, choice<classification_kind>(c->get("method"), "stopping.classification.method",
                                                           {{"none", classification_kind::none},
                                                            {"sprt", classification_kind::sprt},
                                                            {"confidence_interval", classification_kind::confidence_interval},
                                                            {"ci", classification_kind::confidence_interval}}));
        set(sp.cuts, nums(c->get("cuts"), "stopping.classification.cuts"));
        set(sp.indifference, num(c->get("indifference"), "stopping.classification.indifference"));
        set(sp.alpha, num(c->get("alpha"), "stopping.classification.alpha"));
        set(sp.beta, num(c->get("beta"), "stopping.classification.beta"));
        set(sp.confidence, num(c->get("confidence"), "stopping.classification.confidence"));
        if (const ynode* a = c->get("area_cuts")) {
          if (!a->is_map()) {
            sink_.error(a, {}, "type", "'stopping.classification.area_cuts' must be a mapping of dimension (or area) ids to lists of cuts");
          } else {
            for (std::size_t k = 0; k + 1 < a->children.size(); k += 2)
              if (auto v = nums(a->children[k + 1], "stopping.classification.area_cuts"))
                sp.area_cuts.emplace_back(a->children[k]->value, std::move(*v));
          }
        }
      }
    }
    // Ranges and consistency only once every field read: their messages assume sane types.
    if (sink_.errors() == 0) {
      try {
        validate(s);
      } catch (const invalid_argument& e) {
        sink_.error(root, {}, "invalid", std::string(e.detail()));
      }
    }
  }

 private:
  template <class T>
  static void set(T& field, std::optional<T> value) {
    if (value) field = std::move(*value);
  }

  // The map under `key` of `parent` with its keys checked, or nullopt (absent, or not a map).
  template <std::size_t N>
  std::optional<map_fields> section(const map_fields& parent, std::string_view key, const std::array<std::string_view, N>& keys,
                                    std::string_view name = {}) {
    const ynode* n = parent.get(key);
    if (!n) return std::nullopt;
    if (name.empty()) name = key;
    if (!n->is_map()) {
      sink_.error(n, {}, "type", fmt::format("'{}' must be a mapping, not {}", name, io::detail::describe(*n)));
      return std::nullopt;
    }
    return map_fields(*n, keys, sink_, {}, fmt::format("'{}'", name));
  }

  std::optional<double> num(const ynode* n, std::string_view what) {
    if (!n) return std::nullopt;
    // YAML 1.2 numbers (12, -0.5, 1e-3, .inf) through from_chars, so never locale-dependent;
    // quoted numbers are taken too, as they always were in specifications.
    if (auto x = io::detail::to_double(*n)) return x;
    sink_.error(n, {}, "type", fmt::format("'{}' must be a number, not {}", what, shown(*n)));
    return std::nullopt;
  }
  std::optional<int> integer(const ynode* n, std::string_view what) {
    const auto v = num(n, what);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || std::abs(*v) > 1e9) {
      sink_.error(n, {}, "type", fmt::format("'{}' must be a whole number, not {}", what, shown(*n)));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }
  std::optional<bool> boolean(const ynode* n, std::string_view what) {
    if (!n) return std::nullopt;
    if (auto b = io::detail::to_bool(*n)) return b;
    sink_.error(n, {}, "type", fmt::format("'{}' must be true or false, not {}", what, shown(*n)));
    return std::nullopt;
  }
  std::optional<std::string> str(const ynode* n, std::string_view what) {
    if (!n) return std::nullopt;
    if (!n->is_scalar()) {
      sink_.error(n, {}, "type", fmt::format("'{}' must be a scalar, not {}", what, io::detail::describe(*n)));
      return std::nullopt;
    }
    return n->value;
  }
  std::optional<std::vector<double>> nums(const ynode* n, std::string_view what) {
    if (!n) return std::nullopt;
    if (!n->is_sequence()) {
      sink_.error(n, {}, "type", fmt::format("'{}' must be a list of numbers, not {}", what, io::detail::describe(*n)));
      return std::nullopt;
    }
    std::vector<double> v;
    bool ok = true;
    for (const ynode* x : n->children) {
      if (auto d = num(x, what)) v.push_back(*d);
      else ok = false;
    }
    if (!ok) return std::nullopt;
    return v;
  }
  std::optional<grid_spec> grid(const ynode* n, std::string_view what) {
    auto text = str(n, what);
    if (!text) return std::nullopt;
    try {
      return parse_grid(*text);
    } catch (const invalid_argument& e) {
      sink_.error(n, {}, "value", fmt::format("'{}': {}", what, e.detail()));
      return std::nullopt;
    }
  }
  // A rule name resolved through its registry (the registered spelling), or a located error
  // listing the registered names.
  template <class Rule>
  std::optional<std::string> registered(const rule_registry<Rule>& reg, const ynode* n, std::string_view what) {
    auto text = str(n, what);
    if (!text) return std::nullopt;
    try {
      return reg.canonical(*text);
    } catch (const invalid_argument& e) {
      const auto names = reg.names();
      sink_.error(n, {}, "unknown-name",
                  fmt::format("'{}': {}{}", what, e.detail(), io::detail::did_you_mean(lower(*text), names)));
      return std::nullopt;
    }
  }
  std::optional<estimate::method> method(const ynode* n, std::string_view what) {
    auto text = str(n, what);
    if (!text) return std::nullopt;
    if (const auto m = estimate::parse_method(*text)) return m;
    static constexpr std::array names{"ml"sv, "map"sv, "eap"sv, "wle"sv};
    sink_.error(n, {}, "unknown-name",
                fmt::format("'{}' must be ml, map, eap or wle, not '{}'{}", what, *text, io::detail::did_you_mean(lower(*text), names)));
    return std::nullopt;
  }
  template <class E>
  std::optional<E> choice(const ynode* n, std::string_view what, std::initializer_list<std::pair<std::string_view, E>> options) {
    auto text = str(n, what);
    if (!text) return std::nullopt;
    const auto s = lower(*text);
    for (const auto& [name, value] : options)
      if (name == s) return value;
    std::vector<std::string_view> names;
    for (const auto& o : options) names.push_back(o.first);
    sink_.error(n, {}, "unknown-name",
                fmt::format("'{}' is '{}'; expected one of: {}{}", what, s, fmt::join(names, ", "), io::detail::did_you_mean(s, names)));
    return std::nullopt;
  }
  // A value as messages show it: the text of a scalar, else what kind of node it is.
  static std::string shown(const ynode& n) {
    return n.is_scalar() ? fmt::format("'{}'", n.value) : std::string(io::detail::describe(n));
  }

  diag_sink& sink_;
};

// Reads `yaml` into `out`; every problem goes to `diags` (in file order). True when no error.
bool run(std::string_view yaml, std::string_view origin, std::vector<diagnostic>& diags, test_spec& out, std::size_t limit = 100) {
  diag_sink sink(diags, std::string(origin), limit);
  try {
    const io::detail::ydoc doc = io::detail::parse_yaml(yaml, std::string(origin));
    reader(sink).read(doc.root, out);
  } catch (const parse_error& e) {
    diags.push_back(diagnostic{severity::error, e.where(), "syntax", std::string(e.detail())});
  }
  sink.finish();
  return !has_errors(diags);
}

std::string exact(double v) { return fmt::format("{}", v); }  // shortest round-trip form
std::string quoted(const std::string& s) {
  std::string out;
  io::detail::append_yaml_quoted(out, s);
  return out;
}
std::string grid_text(const grid_spec& g) { return fmt::format("\"{}:{}:{}\"", exact(g.lo), exact(g.hi), g.n); }
std::string list(const std::vector<double>& v) {
  std::vector<std::string> parts;
  for (double x : v) parts.push_back(exact(x));
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

}  // namespace

test_spec parse_test_spec(std::string_view yaml, std::string_view origin) {
  std::vector<diagnostic> diags;
  test_spec s;
  if (run(yaml, origin, diags, s)) return s;
  std::string message;
  const diagnostic* first = io::detail::first_problem(diags, false, "validate_test_spec", message);
  if (!first) throw error(errc::internal, "specification rejected without a diagnostic");
  throw parse_error(message, first->where);
}

std::vector<diagnostic> validate_test_spec(std::string_view yaml, std::string_view origin, std::size_t limit) {
  std::vector<diagnostic> diags;
  test_spec s;
  run(yaml, origin, diags, s, limit);
  return diags;
}

test_spec load_test_spec(const std::string& path) {
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error(fmt::format("cannot open test specification '{}'", path));
  }
  return parse_test_spec(text, path);
}

std::string to_yaml(const test_spec& s) {
  std::string o;
  auto line = [&](std::string_view text) {
    o += text;
    o += '\n';
  };
  line("dskill: 1");
  line(fmt::format("test: {{id: {}, include_pretest: {}}}", quoted(s.id), s.include_pretest));
  std::vector<std::string> ids;
  for (const auto& id : s.start.items) ids.push_back(quoted(id));
  line(fmt::format("start: {{rule: {}, theta: {}, count: {}, window: [{}, {}], items: [{}]}}", to_string(s.start.kind),
                   exact(s.start.theta), s.start.count, exact(s.start.window_lo), exact(s.start.window_hi), fmt::join(ids, ", ")));
  line(fmt::format("selection: {{rule: {}, quadrature: {}, mei_method: {}, mei_information: {}, acceleration: {}, strata: {}}}",
                   to_string(s.selection.rule), grid_text(s.selection.grid), estimate::to_string(s.selection.mei_method),
                   s.selection.mei_information == estimate::information_kind::observed ? "observed" : "expected",
                   exact(s.selection.acceleration), s.selection.strata));
  if (!s.selection.weights.empty()) {  // only when given: the hashes of earlier specifications stay
    std::vector<std::string> ws;
    for (const auto& [id, w] : s.selection.weights) ws.push_back(fmt::format("{}: {}", quoted(id), exact(w)));
    o.insert(o.size() - 2, fmt::format(", weights: {{{}}}", fmt::join(ws, ", ")));
  }
  const auto& e = s.estimator;
  line("estimation:");
  line(fmt::format("  method: {}", s.estimator_rule.empty() ? estimate::to_string(e.estimator) : s.estimator_rule));
  line(fmt::format("  prior: {{kind: {}, mean: {}, sd: {}, weights: {}}}", to_string(e.prior_.kind), exact(e.prior_.mean),
                   exact(e.prior_.sd), list(e.prior_.weights)));
  line(fmt::format("  quadrature: {}", grid_text(e.grid)));
  line(fmt::format("  rule: {}", e.rule == integration_rule::trapezoid ? "trapezoid" : "normalized_density"));
  line(fmt::format("  bounds: [{}, {}]", exact(e.lower_bound), exact(e.upper_bound)));
  line(fmt::format("  se_information: {}", e.se_information == estimate::information_kind::observed ? "observed" : "expected"));
  line(fmt::format("  wle: {}", e.wle == estimate::wle_variant::warm ? "warm" : "jeffreys"));
  line(fmt::format("  tolerance: {}", exact(e.tolerance)));
  line(fmt::format("  max_iterations: {}", e.max_iterations));
  line(fmt::format("exposure: {{randomesque: {}, sympson_hetter: {}, restricted_max: {}}}", s.exposure.randomesque,
                   s.exposure.sympson_hetter, exact(s.exposure.restricted_max)));
  line("content:");
  line(fmt::format("  by: {}", to_string(s.content.by)));
  line(fmt::format("  method: {}", to_string(s.content.method)));
  line(fmt::format("  information_weight: {}", exact(s.content.information_weight)));
  line("  targets:");
  for (const auto& t : s.content.targets)
    line(fmt::format("    - {{key: {}, proportion: {}, min: {}, max: {}, weight: {}}}", quoted(t.key), exact(t.proportion), t.min,
                     t.max, exact(t.weight)));
  if (s.content.targets.empty()) o.replace(o.size() - 1, 1, " []\n");
  const auto& sp = s.stopping;
  line("stopping:");
  line(fmt::format("  min_items: {}", sp.min_items));
  line(fmt::format("  max_items: {}", sp.max_items));
  line(fmt::format("  se: {}", exact(sp.se)));
  line(fmt::format("  min_information: {}", exact(sp.min_information)));
  line(fmt::format("  combine: {}", sp.combine == combine_rule::any ? "any" : "all"));
  if (!sp.rules.empty()) line(fmt::format("  rules: [{}]", fmt::join(sp.rules, ", ")));  // only when given: older hashes stay
  if (sp.se_per_area > 0) line(fmt::format("  se_per_area: {}", exact(sp.se_per_area)));
  if (!sp.areas.empty()) {
    std::vector<std::string> ids;
    for (const auto& id : sp.areas) ids.push_back(quoted(id));
    line(fmt::format("  areas: [{}]", fmt::join(ids, ", ")));
  }
  line(fmt::format("  classification: {{method: {}, cuts: {}, indifference: {}, alpha: {}, beta: {}, confidence: {}}}",
                   to_string(sp.classification), list(sp.cuts), exact(sp.indifference), exact(sp.alpha), exact(sp.beta),
                   exact(sp.confidence)));
  if (!sp.area_cuts.empty()) {  // only when given: the hashes of earlier specifications stay
    std::vector<std::string> parts;
    for (const auto& [id, cuts] : sp.area_cuts) parts.push_back(fmt::format("{}: {}", quoted(id), list(cuts)));
    o.insert(o.size() - 2, fmt::format(", area_cuts: {{{}}}", fmt::join(parts, ", ")));
  }
  return o;
}

std::string spec_hash(const test_spec& spec) {
  return core::sha256_hex(to_yaml(spec));
}

}  // namespace cat
DSKILL_END_NAMESPACE
