// Reading and checking competency framework files (schema v1, item_banks/SCHEMA.md).
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/yaml_tree.hpp"
#include "graph.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework {
namespace {

namespace ydom = ::dskill::io::detail;
using ydom::diag_sink;
using ydom::map_fields;
using ydom::ynode;
using namespace std::string_view_literals;

constexpr std::array root_keys{"dskill_framework"sv, "framework"sv, "levels"sv, "areas"sv,
                               "cut_scores"sv, "certification"sv, "crosswalks"sv};
constexpr std::array info_keys{"id"sv, "version"sv, "title"sv, "source"sv, "url"sv, "note"sv, "languages"sv};
constexpr std::array level_keys{"level"sv, "tier"sv, "name"sv, "description"sv};
constexpr std::array area_keys{"id"sv, "name"sv, "description"sv, "competences"sv, "unconfirmed"sv};
constexpr std::array competence_keys{"id"sv, "name"sv, "description"sv, "prerequisites"sv, "unconfirmed"sv};
constexpr std::array cut_keys{"default"sv, "areas"sv, "overall"sv};
constexpr std::array rule_keys{"id"sv, "name"sv, "description"sv, "all_areas_at_least"sv, "overall_at_least"sv,
                               "areas_at_least"sv, "min_probability"sv};
constexpr std::array crosswalk_keys{"to"sv, "map"sv, "unconfirmed"sv, "note"sv};
constexpr std::array to_keys{"id"sv, "version"sv};

class reader {
 public:
  explicit reader(diag_sink& sink) : sink_(sink) {}
  std::shared_ptr<const framework> read(const ynode* root);

 private:
  bool expect(const ynode* n, ynode::kind_t kind, std::string_view what) {
    if (n->kind == kind) return true;
    static constexpr std::array names{"nothing"sv, "a single value"sv, "a list"sv, "a map"sv};
    sink_.error(n, {}, "type", fmt::format("{} must be {}, not {}", what, names[kind], ydom::describe(*n)));
    return false;
  }
  std::string text(const ynode* n, std::string_view what) {
    if (n->is_scalar()) return n->value;
    sink_.error(n, {}, "type", fmt::format("{} must be a single value, not {}", what, ydom::describe(*n)));
    return {};
  }
  bool flag(const ynode* n, std::string_view what) {
    if (auto b = ydom::to_bool(*n)) return *b;
    sink_.error(n, {}, "type", fmt::format("{} must be true or false", what));
    return false;
  }
  std::optional<int> level_number(const ynode* n, std::string_view what, bool check_range = true) {
    auto k = ydom::to_integer(*n);
    if (!k || !n->plain) {
      sink_.error(n, {}, "type", fmt::format("{} must be a whole number", what));
      return std::nullopt;
    }
    const long long L = static_cast<long long>(d_.levels.size());
    if (check_range && (*k < 1 || (L > 0 && *k > L))) {
      sink_.error(n, {}, "level", fmt::format("{} is {}, outside the levels 1..{}", what, *k, L));
      return std::nullopt;
    }
    return static_cast<int>(*k);
  }
  localized_text localized(const ynode* n, std::string_view what) {
    localized_text out;
    if (n->is_scalar()) {
      out.values.emplace_back("", n->value);
      return out;
    }
    if (!n->is_map()) {
      sink_.error(n, {}, "type", fmt::format("{} must be a text or a map of language to text", what));
      return out;
    }
    for (std::size_t i = 0; i + 1 < n->children.size(); i += 2) {
      const ynode* k = n->children[i];
      const ynode* v = n->children[i + 1];
      if (!k->is_scalar() || !v->is_scalar()) {
        sink_.error(k, {}, "type", fmt::format("{} maps a language tag to a text", what));
        continue;
      }
      if (out.find(k->value)) {
        sink_.error(k, {}, "duplicate-key", fmt::format("language '{}' appears twice in {}", k->value, what));
        continue;
      }
      if (!d_.languages.empty() && std::find(d_.languages.begin(), d_.languages.end(), k->value) == d_.languages.end())
        sink_.error(k, {}, "language", fmt::format("{} is given in '{}', which is not among the framework languages [{}]",
                                                   what, k->value, fmt::join(d_.languages, ", ")));
      out.values.emplace_back(k->value, v->value);
    }
    for (const auto& lang : d_.languages)
      if (!out.find(lang)) sink_.error(n, {}, "language", fmt::format("{} has no '{}' text", what, lang));
    return out;
  }
  std::vector<double> cuts(const ynode* n, std::string_view what) {
    std::vector<double> out;
    if (!expect(n, ynode::sequence, what)) return out;
    const std::size_t L = d_.levels.size();
    for (std::size_t i = 0; i < n->children.size(); ++i) {
      const ynode* e = n->children[i];
      auto x = ydom::to_double(*e);
      if (!x || !e->plain || !std::isfinite(*x)) {
        sink_.error(e, {}, "cut-scores", fmt::format("{} must be finite numbers, not '{}'", what, e->is_scalar() ? e->value : "?"));
        return {};
      }
      if (!out.empty() && !(*x > out.back())) {
        sink_.error(e, {}, "cut-scores", fmt::format("{} must increase: {} follows {}", what, e->value, n->children[i - 1]->value));
        return {};
      }
      out.push_back(*x);
    }
    if (L > 0 && out.size() != L - 1) {
      sink_.error(n, {}, "cut-scores", fmt::format("{}: {} levels need {} boundaries, got {}", what, L, L - 1, out.size()));
      return {};
    }
    return out;
  }

  void read_info(const ynode* n);
  void read_levels(const ynode* n);
  void read_areas(const ynode* n);
  void read_cuts(const ynode* n);
  void read_rules(const ynode* n);
  void read_crosswalks(const ynode* n);
  void check_prerequisites();

  diag_sink& sink_;
  framework_data d_;
  std::vector<const ynode*> competence_nodes_;
  std::vector<std::vector<const ynode*>> prerequisite_nodes_;
  std::vector<std::string> competence_ids_;
  // id -> position of its first use in competence_ids_: lookups in constant time, so reading a
  // framework stays linear in its size (it was quadratic: 241 s at 100,000 competences).
  std::unordered_map<std::string, std::size_t> competence_index_;
  std::optional<std::size_t> find_competence(const std::string& id) const {
    const auto it = competence_index_.find(id);
    return it == competence_index_.end() ? std::nullopt : std::optional(it->second);
  }
};

void reader::read_info(const ynode* n) {
  if (!expect(n, ynode::map, "framework")) return;
  map_fields f(*n, info_keys, sink_, {}, "framework");
  if (const ynode* v = f.get("languages"); v && expect(v, ynode::sequence, "languages"))
    for (const ynode* e : v->children) {
      std::string lang = text(e, "a language");
      if (lang.empty()) continue;
      if (std::find(d_.languages.begin(), d_.languages.end(), lang) != d_.languages.end())
        sink_.error(e, {}, "language", fmt::format("language '{}' is listed twice", lang));
      else d_.languages.push_back(lang);
    }
  if (const ynode* v = f.get("id")) d_.id = text(v, "framework id");
  else sink_.error(n, {}, "missing-key", "framework has no 'id'");
  if (const ynode* v = f.get("version")) d_.version = text(v, "framework version");
  else sink_.error(n, {}, "missing-key", "framework has no 'version' (banks name the version they were written for)");
  if (const ynode* v = f.get("title")) d_.title = localized(v, "the framework title");
  if (const ynode* v = f.get("source")) d_.source = text(v, "source");
  if (const ynode* v = f.get("url")) d_.url = text(v, "url");
  if (const ynode* v = f.get("note")) d_.note = text(v, "note");
}

void reader::read_levels(const ynode* n) {
  if (!expect(n, ynode::sequence, "levels")) return;
  for (const ynode* e : n->children) {
    if (!expect(e, ynode::map, "a level")) continue;
    map_fields f(*e, level_keys, sink_, {}, "level");
    level l;
    l.number = static_cast<int>(d_.levels.size() + 1);
    if (const ynode* v = f.get("level")) {
      auto k = level_number(v, "level", false);
      if (k && *k != l.number)
        sink_.error(v, {}, "level", fmt::format("levels are numbered 1, 2, ... in order: expected {}, got {}", l.number, *k));
    } else {
      sink_.error(e, {}, "missing-key", "level has no 'level' number");
    }
    if (const ynode* v = f.get("tier")) l.tier = text(v, "tier");
    if (const ynode* v = f.get("name")) l.name = localized(v, fmt::format("the name of level {}", l.number));
    if (const ynode* v = f.get("description")) l.description = localized(v, fmt::format("the description of level {}", l.number));
    d_.levels.push_back(std::move(l));
  }
  if (d_.levels.empty()) sink_.error(n, {}, "level", "a framework needs at least one level");
}

void reader::read_areas(const ynode* n) {
  if (!expect(n, ynode::sequence, "areas")) return;
  for (const ynode* e : n->children) {
    if (!expect(e, ynode::map, "an area")) continue;
    map_fields f(*e, area_keys, sink_, {}, "area");
    area a;
    if (const ynode* v = f.get("id")) {
      a.id = text(v, "area id");
      for (const auto& other : d_.areas)
        if (other.id == a.id) sink_.error(v, {}, "duplicate-id", fmt::format("area id '{}' appears twice", a.id));
    } else {
      sink_.error(e, {}, "missing-key", "area has no 'id'");
    }
    const std::string label = fmt::format("area '{}'", a.id);
    if (const ynode* v = f.get("name")) a.name = localized(v, fmt::format("the name of {}", label));
    else sink_.error(e, {}, "missing-key", fmt::format("{} has no 'name'", label));
    if (const ynode* v = f.get("description")) a.description = localized(v, fmt::format("the description of {}", label));
    if (const ynode* v = f.get("unconfirmed")) a.unconfirmed = flag(v, "unconfirmed");
    const std::size_t area_index = d_.areas.size();
    if (const ynode* v = f.get("competences"); v && expect(v, ynode::sequence, "competences")) {
      for (const ynode* ce : v->children) {
        if (!expect(ce, ynode::map, "a competence")) continue;
        map_fields cf(*ce, competence_keys, sink_, {}, "competence");
        competence c;
        c.area_index = area_index;
        const ynode* id_node = ce;
        if (const ynode* x = cf.get("id")) {
          id_node = x;
          c.id = text(x, "competence id");
          if (find_competence(c.id))
            sink_.error(x, {}, "duplicate-id", fmt::format("competence id '{}' appears twice", c.id));
        } else {
          sink_.error(ce, {}, "missing-key", "competence has no 'id'");
        }
        const std::string clabel = fmt::format("competence '{}'", c.id);
        if (const ynode* x = cf.get("name")) c.name = localized(x, fmt::format("the name of {}", clabel));
        else sink_.error(ce, {}, "missing-key", fmt::format("{} has no 'name'", clabel));
        if (const ynode* x = cf.get("description")) c.description = localized(x, fmt::format("the description of {}", clabel));
        if (const ynode* x = cf.get("unconfirmed")) c.unconfirmed = flag(x, "unconfirmed");
        std::vector<const ynode*> pre_nodes;
        if (const ynode* x = cf.get("prerequisites")) {
          if (x->is_scalar()) {
            c.prerequisites.push_back(x->value);
            pre_nodes.push_back(x);
          } else if (x->kind != ynode::null && expect(x, ynode::sequence, "prerequisites")) {
            for (const ynode* p : x->children) {
              std::string id = text(p, "a prerequisite");
              if (id.empty()) continue;
              c.prerequisites.push_back(id);
              pre_nodes.push_back(p);
            }
          }
        }
        competence_index_.emplace(c.id, competence_ids_.size());
        competence_ids_.push_back(c.id);
        competence_nodes_.push_back(id_node);
        prerequisite_nodes_.push_back(std::move(pre_nodes));
        a.competences.push_back(c.id);
        d_.competences.push_back(std::move(c));
      }
    } else if (!f.get("competences")) {
      sink_.error(e, {}, "missing-key", fmt::format("{} has no 'competences'", label));
    }
    d_.areas.push_back(std::move(a));
  }
}

void reader::check_prerequisites() {
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  std::vector<std::vector<std::size_t>> edge_at(d_.competences.size());  // per competence: edge positions
  for (std::size_t c = 0; c < d_.competences.size(); ++c) {
    const auto& comp = d_.competences[c];
    for (std::size_t k = 0; k < comp.prerequisites.size(); ++k) {
      const auto& p = comp.prerequisites[k];
      const auto at = find_competence(p);
      if (!at) {
        sink_.error(prerequisite_nodes_[c][k], {}, "prerequisite",
                    fmt::format("competence '{}' has unknown prerequisite '{}'{}", comp.id, p,
                                ydom::did_you_mean(p, competence_ids_)));
        continue;
      }
      edges.emplace_back(*at, c);
    }
  }
  auto cycle = detail::find_cycle(d_.competences.size(), edges);
  if (cycle.empty()) return;
  std::vector<std::string_view> names;
  for (auto v : cycle) names.push_back(d_.competences[v].id);
  names.push_back(d_.competences[cycle.front()].id);
  // Report at the prerequisite entry that closes the cycle (cycle.front() lists cycle.back()).
  const ynode* at = competence_nodes_[cycle.front()];
  const auto& first = d_.competences[cycle.front()];
  for (std::size_t k = 0; k < first.prerequisites.size(); ++k)
    if (first.prerequisites[k] == d_.competences[cycle.back()].id) at = prerequisite_nodes_[cycle.front()][k];
  sink_.error(at, {}, "cycle", fmt::format("prerequisites form a cycle: {}", fmt::join(names, " -> ")));
}

void reader::read_cuts(const ynode* n) {
  if (!expect(n, ynode::map, "cut_scores")) return;
  map_fields f(*n, cut_keys, sink_, {}, "cut_scores");
  if (const ynode* v = f.get("default")) d_.default_cuts = cuts(v, "default cut scores");
  else sink_.error(n, {}, "missing-key", "cut_scores has no 'default' (the L-1 theta boundaries between levels)");
  if (const ynode* v = f.get("overall")) d_.overall_cuts = cuts(v, "overall cut scores");
  if (const ynode* v = f.get("areas"); v && expect(v, ynode::map, "cut_scores.areas")) {
    for (std::size_t i = 0; i + 1 < v->children.size(); i += 2) {
      const ynode* k = v->children[i];
      std::string area_id = text(k, "an area id");
      if (area_id.empty()) continue;
      std::vector<std::string> area_ids;
      for (const auto& a : d_.areas) area_ids.push_back(a.id);
      if (std::find(area_ids.begin(), area_ids.end(), area_id) == area_ids.end()) {
        sink_.error(k, {}, "area", fmt::format("cut scores for unknown area '{}'{}", area_id, ydom::did_you_mean(area_id, area_ids)));
        continue;
      }
      auto c = cuts(v->children[i + 1], fmt::format("cut scores of area '{}'", area_id));
      if (!c.empty()) d_.area_cuts[area_id] = std::move(c);
    }
  }
}

void reader::read_rules(const ynode* n) {
  if (!expect(n, ynode::sequence, "certification")) return;
  for (const ynode* e : n->children) {
    if (!expect(e, ynode::map, "a certification rule")) continue;
    map_fields f(*e, rule_keys, sink_, {}, "certification rule");
    certification_rule r;
    if (const ynode* v = f.get("id")) {
      r.id = text(v, "rule id");
      for (const auto& other : d_.certification)
        if (other.id == r.id) sink_.error(v, {}, "duplicate-id", fmt::format("certification rule '{}' appears twice", r.id));
    } else {
      sink_.error(e, {}, "missing-key", "certification rule has no 'id'");
    }
    if (const ynode* v = f.get("name")) r.name = localized(v, fmt::format("the name of rule '{}'", r.id));
    if (const ynode* v = f.get("all_areas_at_least")) r.all_areas_at_least = level_number(v, "all_areas_at_least");
    if (const ynode* v = f.get("overall_at_least")) r.overall_at_least = level_number(v, "overall_at_least");
    if (const ynode* v = f.get("areas_at_least"); v && expect(v, ynode::map, "areas_at_least")) {
      for (std::size_t i = 0; i + 1 < v->children.size(); i += 2) {
        const ynode* k = v->children[i];
        std::string area_id = text(k, "an area id");
        std::size_t a = 0;
        while (a < d_.areas.size() && d_.areas[a].id != area_id) ++a;
        if (a == d_.areas.size()) {
          std::vector<std::string> ids;
          for (const auto& x : d_.areas) ids.push_back(x.id);
          sink_.error(k, {}, "area", fmt::format("rule '{}' names unknown area '{}'{}", r.id, area_id, ydom::did_you_mean(area_id, ids)));
          continue;
        }
        if (auto l = level_number(v->children[i + 1], fmt::format("the level for area '{}'", area_id)))
          r.areas_at_least.emplace_back(a, *l);
      }
    }
    if (const ynode* v = f.get("min_probability")) {
      const auto x = ydom::to_double(*v);
      if (!x || !v->plain || !std::isfinite(*x) || !(*x > 0.0) || *x > 1.0)
        sink_.error(v, {}, "certification",
                    fmt::format("rule '{}': min_probability must be a number in (0, 1], not '{}'", r.id,
                                v->is_scalar() ? v->value : "?"));
      else
        r.min_probability = *x;
    }
    if (!f.get("all_areas_at_least") && !f.get("overall_at_least") && !f.get("areas_at_least"))
      sink_.error(e, {}, "certification",
                  fmt::format("rule '{}' has no condition (all_areas_at_least, overall_at_least or areas_at_least)", r.id));
    d_.certification.push_back(std::move(r));
  }
}

void reader::read_crosswalks(const ynode* n) {
  if (!expect(n, ynode::sequence, "crosswalks")) return;
  for (const ynode* e : n->children) {
    if (!expect(e, ynode::map, "a crosswalk")) continue;
    map_fields f(*e, crosswalk_keys, sink_, {}, "crosswalk");
    crosswalk cw;
    if (const ynode* v = f.get("to")) {
      if (v->is_scalar()) {
        cw.to_id = v->value;
      } else if (expect(v, ynode::map, "to")) {
        map_fields tf(*v, to_keys, sink_, {}, "to");
        if (const ynode* x = tf.get("id")) cw.to_id = text(x, "target framework id");
        else sink_.error(v, {}, "missing-key", "crosswalk target has no 'id'");
        if (const ynode* x = tf.get("version")) cw.to_version = text(x, "target framework version");
      }
      for (const auto& other : d_.crosswalks)
        if (other.to_id == cw.to_id && !cw.to_id.empty())
          sink_.error(v, {}, "duplicate-id", fmt::format("two crosswalks to '{}'", cw.to_id));
    } else {
      sink_.error(e, {}, "missing-key", "crosswalk has no 'to' (the target framework)");
    }
    if (const ynode* v = f.get("unconfirmed")) cw.unconfirmed = flag(v, "unconfirmed");
    if (const ynode* v = f.get("note")) cw.note = text(v, "note");
    if (const ynode* v = f.get("map"); v && expect(v, ynode::map, "map")) {
      for (std::size_t i = 0; i + 1 < v->children.size(); i += 2) {
        const ynode* k = v->children[i];
        const ynode* t = v->children[i + 1];
        std::string from = text(k, "a competence id");
        if (from.empty()) continue;
        if (!find_competence(from)) {
          sink_.error(k, {}, "competence", fmt::format("crosswalk maps unknown competence '{}'{}", from,
                                                       ydom::did_you_mean(from, competence_ids_)));
          continue;
        }
        if (cw.map.count(from)) {
          sink_.error(k, {}, "duplicate-key", fmt::format("competence '{}' is mapped twice", from));
          continue;
        }
        std::vector<std::string> targets;
        if (t->is_scalar()) targets.push_back(t->value);
        else if (t->is_sequence())
          for (const ynode* x : t->children) {
            std::string id = text(x, "a target competence id");
            if (!id.empty()) targets.push_back(id);
          }
        else if (t->kind != ynode::null)
          sink_.error(t, {}, "type", "a crosswalk entry maps to a list of competence ids");
        cw.map.emplace(from, std::move(targets));
      }
    } else if (!f.get("map")) {
      sink_.error(e, {}, "missing-key", "crosswalk has no 'map'");
    }
    d_.crosswalks.push_back(std::move(cw));
  }
}

std::shared_ptr<const framework> reader::read(const ynode* root) {
  if (root == nullptr || root->kind == ynode::null) {
    sink_.error(root, {}, "empty", "the file is empty: a framework starts with 'dskill_framework: 1'");
    return nullptr;
  }
  if (!expect(root, ynode::map, "a framework file")) return nullptr;
  for (std::size_t i = 0; i + 1 < root->children.size(); i += 2)
    if (root->children[i]->is_scalar() && root->children[i]->value == "dskill") {
      sink_.error(root->children[i], {}, "not-a-framework", "this is an item bank, not a framework");
      return nullptr;
    }
  map_fields f(*root, root_keys, sink_, {}, "the framework file");
  if (const ynode* v = f.get("dskill_framework")) {
    auto version = ydom::to_integer(*v);
    if (!version || !v->plain)
      sink_.error(v, {}, "schema-version", "schema version must be a whole number");
    else if (*version != 1)
      sink_.error(v, {}, "schema-version", fmt::format("unsupported framework schema version {} (this dskill reads version 1)", *version));
  } else {
    sink_.error(root, {}, "schema-version", "missing 'dskill_framework: 1' (the schema version)");
  }
  if (const ynode* v = f.get("framework")) read_info(v);
  else sink_.error(root, {}, "missing-key", "missing 'framework' (id, version, ...)");
  if (const ynode* v = f.get("levels")) read_levels(v);
  else sink_.error(root, {}, "missing-key", "missing 'levels'");
  if (const ynode* v = f.get("areas")) read_areas(v);
  else sink_.error(root, {}, "missing-key", "missing 'areas'");
  check_prerequisites();
  if (const ynode* v = f.get("cut_scores")) read_cuts(v);
  else sink_.error(root, {}, "missing-key", "missing 'cut_scores' (theta boundaries between levels)");
  if (const ynode* v = f.get("certification")) read_rules(v);
  if (const ynode* v = f.get("crosswalks")) read_crosswalks(v);
  if (sink_.errors() > 0) return nullptr;
  try {
    return std::make_shared<const framework>(std::move(d_));
  } catch (const error& e) {
    sink_.error(nullptr, {}, "framework", std::string(e.detail()));
    return nullptr;
  }
}

std::shared_ptr<const framework> run(std::string_view yaml, const std::string& name, std::size_t limit,
                                     std::vector<diagnostic>& out) {
  diag_sink sink(out, name, limit);
  std::shared_ptr<const framework> fw;
  try {
    ydom::ydoc doc = ydom::parse_yaml(yaml, name);
    reader r(sink);
    fw = r.read(doc.root);
  } catch (const parse_error& e) {
    out.push_back(diagnostic{severity::error, e.where(), "syntax", std::string(e.detail())});
  }
  sink.finish();
  return fw;
}

}  // namespace

std::shared_ptr<const framework> load_framework_from_string(std::string_view yaml, std::string_view name) {
  std::vector<diagnostic> diags;
  auto fw = run(yaml, std::string(name), 100, diags);
  if (fw) return fw;
  std::string message;
  const diagnostic* first = ydom::first_problem(diags, false, "'dskill validate'", message);
  if (!first) throw error(errc::internal, "framework rejected without a diagnostic");
  if (first->code == "syntax" || first->code == "empty" || first->code == "not-a-framework")
    throw parse_error(message, first->where);
  throw framework_error(message, first->where);
}

std::shared_ptr<const framework> load_framework(const std::string& path) {
  const std::string text = io::read_file_text(path);
  return load_framework_from_string(text, path);
}

std::vector<diagnostic> validate_framework_string(std::string_view yaml, std::string_view name, std::size_t limit) {
  std::vector<diagnostic> diags;
  run(yaml, std::string(name), limit, diags);
  return diags;
}

std::vector<diagnostic> validate_framework_file(const std::string& path, std::size_t limit) {
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const error& e) {
    return {diagnostic{severity::error, e.where(), "io", std::string(e.detail())}};
  }
  return validate_framework_string(text, path, limit);
}

}  // namespace framework
DSKILL_END_NAMESPACE
