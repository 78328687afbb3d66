// dskill::cat test specification: names, validation, YAML reading and canonical writing.
#include "dskill/cat/spec.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "dskill/cat/registry.hpp"
#include "dskill/core/hash.hpp"
#include "dskill/error.hpp"

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
  if (s.stopping.classification != classification_kind::none && s.stopping.cuts.empty())
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

struct reader {
  std::string origin;

  location where(const YAML::Node& n) const {
    location l;
    l.file = origin;
    const auto m = n.Mark();
    if (!m.is_null()) {
      l.line = m.line + 1;
      l.column = m.column + 1;
    }
    return l;
  }
  [[noreturn]] void fail(const YAML::Node& n, std::string_view what) const { throw parse_error(what, where(n)); }

  void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, std::string_view section) const {
    if (!map.IsMap()) fail(map, fmt::format("'{}' must be a mapping", section));
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(kv.first, fmt::format("unknown key '{}' in '{}' (allowed: {})", key, section, fmt::join(allowed, ", ")));
    }
  }
  double num(const YAML::Node& n, std::string_view what) const {
    try {
      const auto s = n.as<std::string>();
      std::size_t pos = 0;
      const double v = std::stod(s, &pos);
      if (pos != s.size()) throw std::invalid_argument(s);
      return v;
    } catch (const std::exception&) {
      fail(n, fmt::format("'{}' must be a number", what));
    }
  }
  int integer(const YAML::Node& n, std::string_view what) const {
    const double v = num(n, what);
    if (v != std::floor(v) || std::abs(v) > 1e9) fail(n, fmt::format("'{}' must be a whole number", what));
    return static_cast<int>(v);
  }
  bool boolean(const YAML::Node& n, std::string_view what) const {
    try {
      return n.as<bool>();
    } catch (const std::exception&) {
      fail(n, fmt::format("'{}' must be true or false", what));
    }
  }
  std::string str(const YAML::Node& n, std::string_view what) const {
    if (!n.IsScalar()) fail(n, fmt::format("'{}' must be a scalar", what));
    return n.as<std::string>();
  }
  std::vector<double> nums(const YAML::Node& n, std::string_view what) const {
    if (!n.IsSequence()) fail(n, fmt::format("'{}' must be a list of numbers", what));
    std::vector<double> v;
    for (const auto& x : n) v.push_back(num(x, what));
    return v;
  }
  grid_spec grid(const YAML::Node& n, std::string_view what) const {
    try {
      return parse_grid(str(n, what));
    } catch (const invalid_argument& e) {
      fail(n, e.detail());
    }
  }
  template <class E>
  E choice(const YAML::Node& n, std::string_view what, std::initializer_list<std::pair<std::string_view, E>> options) const {
    const auto s = lower(str(n, what));
    for (const auto& [name, value] : options)
      if (name == s) return value;
    std::vector<std::string_view> names;
    for (const auto& o : options) names.push_back(o.first);
    fail(n, fmt::format("'{}' is '{}'; expected one of: {}", what, s, fmt::join(names, ", ")));
  }

  // A rule name resolved through its registry (the registered spelling), or a located error
  // listing the registered names.
  template <class Rule>
  std::string registered(const rule_registry<Rule>& reg, const YAML::Node& n, std::string_view what) const {
    const auto name = str(n, what);
    try {
      return reg.canonical(name);
    } catch (const invalid_argument& e) {
      fail(n, fmt::format("'{}': {}", what, e.detail()));
    }
  }

  test_spec read(const YAML::Node& root) const {
    test_spec s;
    if (!root.IsMap()) fail(root, "a test specification must be a YAML mapping");
    check_keys(root, {"dskill", "test", "start", "selection", "estimation", "exposure", "content", "stopping"}, "top level");
    if (!root["dskill"]) fail(root, "missing 'dskill: 1' (schema version)");
    if (integer(root["dskill"], "dskill") != 1) fail(root["dskill"], "unsupported schema version (this dskill reads 1)");
    if (const auto t = root["test"]) {
      check_keys(t, {"id", "include_pretest"}, "test");
      if (t["id"]) s.id = str(t["id"], "test.id");
      if (t["include_pretest"]) s.include_pretest = boolean(t["include_pretest"], "test.include_pretest");
    }
    if (const auto t = root["start"]) {
      check_keys(t, {"rule", "theta", "count", "window", "items"}, "start");
      if (t["rule"]) s.start.kind = rule_name<start_kind>(registered(registry::global().start, t["rule"], "start.rule"));
      if (t["theta"]) s.start.theta = num(t["theta"], "start.theta");
      if (t["count"]) s.start.count = integer(t["count"], "start.count");
      if (t["window"]) {
        const auto w = nums(t["window"], "start.window");
        if (w.size() != 2) fail(t["window"], "'start.window' must be [lo, hi]");
        s.start.window_lo = w[0];
        s.start.window_hi = w[1];
      }
      if (t["items"]) {
        if (!t["items"].IsSequence()) fail(t["items"], "'start.items' must be a list of item ids");
        for (const auto& x : t["items"]) s.start.items.push_back(str(x, "start.items"));
      }
    }
    if (const auto t = root["selection"]) {
      check_keys(t, {"rule", "quadrature", "mei_method", "mei_information", "acceleration", "strata"}, "selection");
      if (t["rule"]) s.selection.rule = rule_name<criterion>(registered(registry::global().selectors, t["rule"], "selection.rule"));
      if (t["quadrature"]) s.selection.grid = grid(t["quadrature"], "selection.quadrature");
      if (t["mei_method"]) {
        const auto m = estimate::parse_method(str(t["mei_method"], "selection.mei_method"));
        if (!m) fail(t["mei_method"], "'selection.mei_method' must be ml, map, eap or wle");
        s.selection.mei_method = *m;
      }
      if (t["mei_information"])
        s.selection.mei_information = choice<estimate::information_kind>(
            t["mei_information"], "selection.mei_information",
            {{"observed", estimate::information_kind::observed}, {"expected", estimate::information_kind::expected},
             {"fisher", estimate::information_kind::expected}});
      if (t["acceleration"]) s.selection.acceleration = num(t["acceleration"], "selection.acceleration");
      if (t["strata"]) s.selection.strata = integer(t["strata"], "selection.strata");
    }
    if (const auto t = root["estimation"]) {
      check_keys(t, {"method", "prior", "quadrature", "rule", "bounds", "se_information", "wle", "tolerance", "max_iterations"},
                 "estimation");
      auto& o = s.estimator;
      if (t["method"]) {
        // A built-in method sets the options; any other name must be a registered estimator.
        if (const auto m = estimate::parse_method(str(t["method"], "estimation.method")))
          o.estimator = *m;
        else
          s.estimator_rule = registered(registry::global().estimators, t["method"], "estimation.method");
      }
      if (const auto p = t["prior"]) {
        check_keys(p, {"kind", "mean", "sd", "weights"}, "estimation.prior");
        if (p["kind"])
          o.prior_.kind = choice<prior_kind>(p["kind"], "estimation.prior.kind",
                                             {{"normal", prior_kind::normal}, {"uniform", prior_kind::uniform},
                                              {"custom", prior_kind::custom}});
        if (p["mean"]) o.prior_.mean = num(p["mean"], "estimation.prior.mean");
        if (p["sd"]) o.prior_.sd = num(p["sd"], "estimation.prior.sd");
        if (p["weights"]) o.prior_.weights = nums(p["weights"], "estimation.prior.weights");
      }
      if (t["quadrature"]) o.grid = grid(t["quadrature"], "estimation.quadrature");
      if (t["rule"])
        o.rule = choice<integration_rule>(t["rule"], "estimation.rule",
                                          {{"normalized_density", integration_rule::normalized_density},
                                           {"trapezoid", integration_rule::trapezoid}});
      if (t["bounds"]) {
        const auto b = nums(t["bounds"], "estimation.bounds");
        if (b.size() != 2) fail(t["bounds"], "'estimation.bounds' must be [lower, upper]");
        o.lower_bound = b[0];
        o.upper_bound = b[1];
      }
      if (t["se_information"])
        o.se_information = choice<estimate::information_kind>(
            t["se_information"], "estimation.se_information",
            {{"expected", estimate::information_kind::expected}, {"observed", estimate::information_kind::observed}});
      if (t["wle"])
        o.wle = choice<estimate::wle_variant>(t["wle"], "estimation.wle",
                                              {{"warm", estimate::wle_variant::warm}, {"jeffreys", estimate::wle_variant::jeffreys}});
      if (t["tolerance"]) o.tolerance = num(t["tolerance"], "estimation.tolerance");
      if (t["max_iterations"]) o.max_iterations = integer(t["max_iterations"], "estimation.max_iterations");
    }
    if (const auto t = root["exposure"]) {
      check_keys(t, {"randomesque", "sympson_hetter", "restricted_max"}, "exposure");
      if (t["randomesque"]) s.exposure.randomesque = integer(t["randomesque"], "exposure.randomesque");
      if (t["sympson_hetter"]) s.exposure.sympson_hetter = boolean(t["sympson_hetter"], "exposure.sympson_hetter");
      if (t["restricted_max"]) s.exposure.restricted_max = num(t["restricted_max"], "exposure.restricted_max");
    }
    if (const auto t = root["content"]) {
      check_keys(t, {"by", "method", "information_weight", "targets"}, "content");
      auto& bp = s.content;
      if (t["by"])
        bp.by = choice<blueprint_by>(t["by"], "content.by",
                                     {{"area", blueprint_by::area}, {"competence", blueprint_by::competence}, {"level", blueprint_by::level}});
      if (t["method"])
        bp.method = choice<balancing>(t["method"], "content.method",
                                      {{"none", balancing::none}, {"kingsbury_zara", balancing::kingsbury_zara},
                                       {"weighted_deviations", balancing::weighted_deviations}});
      if (t["information_weight"]) bp.information_weight = num(t["information_weight"], "content.information_weight");
      if (const auto ts = t["targets"]) {
        if (!ts.IsSequence()) fail(ts, "'content.targets' must be a list");
        for (const auto& x : ts) {
          check_keys(x, {"key", "proportion", "min", "max", "weight"}, "content.targets");
          blueprint_target bt;
          if (!x["key"]) fail(x, "a content target needs a 'key'");
          bt.key = str(x["key"], "content.targets.key");
          if (x["proportion"]) bt.proportion = num(x["proportion"], "content.targets.proportion");
          if (x["min"]) bt.min = integer(x["min"], "content.targets.min");
          if (x["max"]) bt.max = integer(x["max"], "content.targets.max");
          if (x["weight"]) bt.weight = num(x["weight"], "content.targets.weight");
          bp.targets.push_back(std::move(bt));
        }
      }
    }
    if (const auto t = root["stopping"]) {
      check_keys(t, {"min_items", "max_items", "se", "min_information", "combine", "rules", "classification"}, "stopping");
      auto& sp = s.stopping;
      if (t["min_items"]) sp.min_items = integer(t["min_items"], "stopping.min_items");
      if (t["max_items"]) sp.max_items = integer(t["max_items"], "stopping.max_items");
      if (t["se"]) sp.se = num(t["se"], "stopping.se");
      if (t["min_information"]) sp.min_information = num(t["min_information"], "stopping.min_information");
      if (t["combine"])
        sp.combine = choice<combine_rule>(t["combine"], "stopping.combine", {{"any", combine_rule::any}, {"all", combine_rule::all}});
      if (const auto r = t["rules"]) {
        if (!r.IsSequence()) fail(r, "'stopping.rules' must be a list of stopping rule names");
        for (const auto& x : r) sp.rules.push_back(registered(registry::global().stopping, x, "stopping.rules"));
      }
      if (const auto c = t["classification"]) {
        check_keys(c, {"method", "cuts", "indifference", "alpha", "beta", "confidence"}, "stopping.classification");
        if (c["method"])
          sp.classification = choice<classification_kind>(
              c["method"], "stopping.classification.method",
              {{"none", classification_kind::none}, {"sprt", classification_kind::sprt},
               {"confidence_interval", classification_kind::confidence_interval}, {"ci", classification_kind::confidence_interval}});
        if (c["cuts"]) sp.cuts = nums(c["cuts"], "stopping.classification.cuts");
        if (c["indifference"]) sp.indifference = num(c["indifference"], "stopping.classification.indifference");
        if (c["alpha"]) sp.alpha = num(c["alpha"], "stopping.classification.alpha");
        if (c["beta"]) sp.beta = num(c["beta"], "stopping.classification.beta");
        if (c["confidence"]) sp.confidence = num(c["confidence"], "stopping.classification.confidence");
      }
    }
    try {
      validate(s);
    } catch (const invalid_argument& e) {
      fail(root, e.detail());
    }
    return s;
  }
};

std::string exact(double v) { return fmt::format("{}", v); }  // shortest round-trip form
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
std::string grid_text(const grid_spec& g) { return fmt::format("\"{}:{}:{}\"", exact(g.lo), exact(g.hi), g.n); }
std::string list(const std::vector<double>& v) {
  std::vector<std::string> parts;
  for (double x : v) parts.push_back(exact(x));
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

}  // namespace

test_spec parse_test_spec(std::string_view yaml, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    location l;
    l.file = std::string(origin);
    if (!e.mark.is_null()) {
      l.line = e.mark.line + 1;
      l.column = e.mark.column + 1;
    }
    throw parse_error(e.msg, l);
  }
  return reader{std::string(origin)}.read(root);
}

test_spec load_test_spec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(fmt::format("cannot open test specification '{}'", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_test_spec(ss.str(), path);
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
  line(fmt::format("  classification: {{method: {}, cuts: {}, indifference: {}, alpha: {}, beta: {}, confidence: {}}}",
                   to_string(sp.classification), list(sp.cuts), exact(sp.indifference), exact(sp.alpha), exact(sp.beta),
                   exact(sp.confidence)));
  return o;
}

std::string spec_hash(const test_spec& spec) {
  return core::sha256_hex(to_yaml(spec));
}

}  // namespace cat
DSKILL_END_NAMESPACE
