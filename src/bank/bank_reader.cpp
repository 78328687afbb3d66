// Reading and checking item banks (schema v1, item_banks/SCHEMA.md).
//
// One pass over the document tree fills bank_info and the items and reports every problem
// with its position; cross-item checks (duplicate ids, enemies) follow. The bank is built only
// when no error was found.
#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/yaml_tree.hpp"
#include "dskill/framework/framework.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {
namespace {

using io::detail::diag_sink;
using io::detail::map_fields;
using io::detail::ynode;
using namespace std::string_view_literals;

constexpr std::array root_keys{"dskill"sv, "bank"sv, "items"sv};
constexpr std::array bank_keys{"id"sv, "title"sv, "version"sv, "framework"sv, "languages"sv,
                               "scale"sv, "provenance"sv, "meta"sv, "description"sv, "dimensions"sv,
                               "latent"sv};
constexpr std::array dimension_keys{"id"sv, "area"sv, "role"sv, "title"sv};
constexpr std::array dimension_roles{"area"sv, "general"sv, "specific"sv};
constexpr std::array latent_keys{"mean"sv, "correlation"sv, "covariance"sv};
constexpr std::array framework_ref_keys{"id"sv, "version"sv};
constexpr std::array scale_keys{"D"sv, "form"sv};
constexpr std::array provenance_keys{"method"sv, "sample"sv, "date"sv, "data"sv, "note"sv};
constexpr std::array item_keys{"id"sv, "model"sv, "params"sv, "competences"sv, "level"sv, "status"sv,
                               "content"sv, "key"sv, "scoring"sv, "media"sv, "enemies"sv, "exposure"sv,
                               "tags"sv, "meta"sv, "dimension"sv};
constexpr std::array content_keys{"stem"sv, "options"sv};
constexpr std::array media_keys{"type"sv, "uri"sv, "alt"sv};
constexpr std::array exposure_keys{"sh"sv};
constexpr std::array param_keys{"a"sv, "b"sv, "c"sv, "d"sv, "intercept"sv, "intercepts"sv, "scores"sv,
                                "discrimination"sv, "difficulty"sv, "guessing"sv, "slipping"sv, "upper"sv};
constexpr std::array model_names{"1pl"sv, "rasch"sv, "2pl"sv, "3pl"sv, "4pl"sv, "grm"sv, "gpcm"sv, "pcm"sv, "nominal"sv};
constexpr std::array status_names{"operational"sv, "pretest"sv, "retired"sv};

bool valid_id_char(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '-';
}

// Item ids end up in CSV headers and command lines: no spaces, commas, quotes or control bytes.
bool valid_item_id(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f || c == ',' || c == '"' || c == '\'' || c == ';') return false;
  return true;
}

bool valid_language(std::string_view s) {
  if (s.size() < 2 || s.size() > 35) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
  return true;
}

struct item_extra {
  const ynode* node = nullptr;            // the item map
  const ynode* id_node = nullptr;
  const ynode* level_node = nullptr;
  std::vector<const ynode*> competence_nodes;
  std::vector<const ynode*> enemy_nodes;
  bool params_ok = false;
  const ynode* slopes_node = nullptr;  // params.a given as a list or map (one slope per dimension)
};

class reader {
 public:
  reader(diag_sink& sink, const load_options& options) : sink_(sink), options_(options) {}

  std::shared_ptr<const item_bank> read(const ynode* root);

 private:
  // ---- scalar helpers: report and return empty when the node is not what is wanted ----------
  std::optional<std::string> text(const ynode* n, std::string_view what, std::string_view item = {}) {
    if (n->is_scalar()) return n->value;
    sink_.error(n, item, "type", fmt::format("{} must be a single value, not {}", what, io::detail::describe(*n)));
    return std::nullopt;
  }
  std::optional<double> number(const ynode* n, std::string_view what, std::string_view item = {}) {
    if (auto x = io::detail::to_double(*n); x && n->plain) {
      if (std::isfinite(*x)) return x;
      sink_.error(n, item, "not-finite", fmt::format("{} must be a finite number, got {}", what, n->value));
      return std::nullopt;
    }
    sink_.error(n, item, "type",
                fmt::format("{} must be a number, not {}", what, n->is_scalar() ? fmt::format("'{}'", n->value)
                                                                                : std::string(io::detail::describe(*n))));
    return std::nullopt;
  }
  std::optional<long long> integer(const ynode* n, std::string_view what, std::string_view item = {}) {
    if (auto x = io::detail::to_integer(*n); x && n->plain) return x;
    sink_.error(n, item, "type",
                fmt::format("{} must be a whole number, not {}", what,
                            n->is_scalar() ? fmt::format("'{}'", n->value) : std::string(io::detail::describe(*n))));
    return std::nullopt;
  }
  std::vector<std::string> string_list(const ynode* n, std::string_view what, std::string_view item,
                                       std::vector<const ynode*>* nodes = nullptr, bool allow_single = false) {
    std::vector<std::string> out;
    if (allow_single && n->is_scalar()) {
      out.push_back(n->value);
      if (nodes) nodes->push_back(n);
      return out;
    }
    if (n->kind == ynode::null) return out;
    if (!n->is_sequence()) {
      sink_.error(n, item, "type", fmt::format("{} must be a list, not {}", what, io::detail::describe(*n)));
      return out;
    }
    out.reserve(n->children.size());
    for (const ynode* e : n->children) {
      if (!e->is_scalar()) {
        sink_.error(e, item, "type", fmt::format("entries of {} must be single values, not {}", what, io::detail::describe(*e)));
        continue;
      }
      out.push_back(e->value);
      if (nodes) nodes->push_back(e);
    }
    return out;
  }
  bool expect_map(const ynode* n, std::string_view what, std::string_view item = {}) {
    if (n->is_map()) return true;
    sink_.error(n, item, "type", fmt::format("{} must be a map, not {}", what, io::detail::describe(*n)));
    return false;
  }
  // A string, or a map language -> string.
  localized_text localized(const ynode* n, std::string_view what, std::string_view item) {
    localized_text out;
    if (n->is_scalar()) {
      out.values.emplace_back("", n->value);
      return out;
    }
    if (!n->is_map()) {
      sink_.error(n, item, "type", fmt::format("{} must be a text or a map of language to text, not {}", what,
                                               io::detail::describe(*n)));
      return out;
    }
    for (std::size_t i = 0; i + 1 < n->children.size(); i += 2) {
      const ynode* k = n->children[i];
      const ynode* v = n->children[i + 1];
      if (!k->is_scalar() || !valid_language(k->value)) {
        sink_.error(k, item, "language", fmt::format("'{}' in {} is not a language tag (like en, vi, pt-BR)",
                                                      k->is_scalar() ? k->value : "?", what));
        continue;
      }
      if (out.find(k->value)) {
        sink_.error(k, item, "duplicate-key", fmt::format("language '{}' appears twice in {}", k->value, what));
        continue;
      }
      if (!v->is_scalar()) {
        sink_.error(v, item, "type", fmt::format("{} in '{}' must be a text, not {}", what, k->value, io::detail::describe(*v)));
        continue;
      }
      out.values.emplace_back(k->value, v->value);
      check_language(k, k->value, what, item);
    }
    if (!out.values.empty()) check_all_languages(n, [&](std::string_view l) { return out.find(l) != nullptr; }, what, item);
    return out;
  }
  void check_language(const ynode* at, std::string_view lang, std::string_view what, std::string_view item) {
    if (languages_.empty()) return;
    if (std::find(languages_.begin(), languages_.end(), lang) == languages_.end())
      sink_.error(at, item, "language",
                  fmt::format("{} is given in '{}', which is not among the bank languages [{}]{}", what, lang,
                              fmt::join(languages_, ", "), io::detail::did_you_mean(lang, languages_)));
  }
  template <class Has>
  void check_all_languages(const ynode* at, Has has, std::string_view what, std::string_view item) {
    for (const auto& lang : languages_)
      if (!has(lang)) sink_.error(at, item, "language", fmt::format("{} has no '{}' text (the bank languages are [{}])",
                                                                    what, lang, fmt::join(languages_, ", ")));
  }
  std::vector<meta_entry> read_meta(const ynode* n, std::string_view item) {
    std::vector<meta_entry> out;
    if (!expect_map(n, "meta", item)) return out;
    for (std::size_t i = 0; i + 1 < n->children.size(); i += 2) {
      const ynode* k = n->children[i];
      const ynode* v = n->children[i + 1];
      if (!k->is_scalar()) {
        sink_.error(k, item, "bad-key", "keys of meta must be plain words");
        continue;
      }
      meta_entry e{.key = k->value};
      if (v->is_scalar()) {
        // A plain number or boolean stays one on save (yaml = true); any other scalar is text.
        e.value = v->value;
        e.yaml = v->plain && (io::detail::to_double(*v) || io::detail::to_bool(*v));
      } else if (v->kind == ynode::null) {
        e.value = "null";
        e.yaml = true;
      } else {
        try {
          e.value = io::detail::to_flow_yaml(*v);
          e.yaml = true;
        } catch (const error& ex) {
          sink_.error(v, item, "meta", std::string(ex.detail()));
          continue;
        }
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  void read_bank_section(const ynode* n);
  void read_dimensions(const ynode* n);
  void read_latent(const ynode* n);
  std::vector<double> number_matrix(const ynode* n, std::string_view what, std::size_t dims);
  bool read_slopes(const ynode* n, bank_item& item);
  void read_item(const ynode* n);
  bool read_params(const ynode* n, irt::model kind, bank_item& item, item_extra& extra);
  void cross_checks();

  diag_sink& sink_;
  const load_options& options_;
  bank_info info_;
  std::vector<std::string> languages_;
  std::vector<bank_item> items_;
  std::vector<item_extra> extra_;
  std::unordered_map<std::string_view, std::size_t> index_;
  const ynode* framework_node_ = nullptr;
  std::vector<const ynode*> dimension_area_nodes_;  // per dimension: its 'area' value (or null)
  const ynode* dimensions_node_ = nullptr;
};

void reader::read_bank_section(const ynode* n) {
  if (!expect_map(n, "bank")) return;
  map_fields f(*n, bank_keys, sink_, {}, "bank");
  if (const ynode* v = f.get("id")) {
    if (auto s = text(v, "bank id")) {
      if (s->empty() || !std::all_of(s->begin(), s->end(), [](unsigned char c) { return valid_id_char(c); }))
        sink_.error(v, {}, "bad-id", fmt::format("bank id '{}' may hold only letters, digits, '.', '_' and '-'", *s));
      info_.id = *s;
    }
  } else {
    sink_.error(n, {}, "missing-key", "bank has no 'id'");
  }
  // Languages first: titles are checked against them.
  if (const ynode* v = f.get("languages")) {
    std::vector<const ynode*> nodes;
    auto langs = string_list(v, "languages", {}, &nodes);
    for (std::size_t i = 0; i < langs.size(); ++i) {
      if (!valid_language(langs[i]))
        sink_.error(nodes[i], {}, "language", fmt::format("'{}' is not a language tag (like en, vi, pt-BR)", langs[i]));
      else if (std::find(languages_.begin(), languages_.end(), langs[i]) != languages_.end())
        sink_.error(nodes[i], {}, "language", fmt::format("language '{}' is listed twice", langs[i]));
      else
        languages_.push_back(langs[i]);
    }
    info_.languages = languages_;
  }
  if (const ynode* v = f.get("title")) {
    info_.titles = localized(v, "the bank title", {});
    info_.title = std::string(info_.titles.get("en"));
  }
  if (const ynode* v = f.get("version")) {
    if (auto s = text(v, "bank version")) info_.version = *s;
  }
  if (const ynode* v = f.get("framework")) {
    framework_node_ = v;
    if (v->is_scalar()) {
      info_.framework_id = v->value;
    } else if (expect_map(v, "framework")) {
      map_fields ff(*v, framework_ref_keys, sink_, {}, "framework");
      if (const ynode* id = ff.get("id")) {
        if (auto s = text(id, "framework id")) info_.framework_id = *s;
      } else {
        sink_.error(v, {}, "missing-key", "framework has no 'id'");
      }
      if (const ynode* ver = ff.get("version")) {
        if (auto s = text(ver, "framework version")) info_.framework_version = *s;
      }
    }
  }
  if (const ynode* v = f.get("scale"); v && expect_map(v, "scale")) {
    map_fields sf(*v, scale_keys, sink_, {}, "scale");
    if (const ynode* d = sf.get("D")) {
      if (auto x = number(d, "the scaling constant D")) {
        if (*x <= 0) sink_.error(d, {}, "scale", fmt::format("the scaling constant D must be > 0, got {}", d->value));
        else info_.scaling = *x;
      }
    }
    if (const ynode* form = sf.get("form")) {
      if (auto s = text(form, "scale form")) {
        if (*s != "difficulty" && *s != "intercept") {
          constexpr std::array forms{"difficulty"sv, "intercept"sv};
          sink_.error(form, {}, "scale", fmt::format("scale form must be 'difficulty' or 'intercept', not '{}'{}", *s,
                                                     io::detail::did_you_mean(*s, forms)));
        } else {
          info_.param_form = *s;
        }
      }
    }
  }
  if (const ynode* v = f.get("provenance"); v && expect_map(v, "provenance")) {
    map_fields pf(*v, provenance_keys, sink_, {}, "provenance");
    auto& p = info_.provenance;
    if (const ynode* x = pf.get("method")) p.method = text(x, "provenance method").value_or("");
    if (const ynode* x = pf.get("sample")) {
      if (auto k = integer(x, "provenance sample")) {
        if (*k < 0) sink_.error(x, {}, "provenance", "the sample size cannot be negative");
        else p.sample = static_cast<long>(*k);
      }
    }
    if (const ynode* x = pf.get("date")) p.date = text(x, "provenance date").value_or("");
    if (const ynode* x = pf.get("note")) p.note = text(x, "provenance note").value_or("");
    if (const ynode* x = pf.get("data")) {
      if (auto s = text(x, "provenance data")) {
        if (*s != "simulated" && *s != "real") {
          constexpr std::array kinds{"simulated"sv, "real"sv};
          sink_.error(x, {}, "provenance", fmt::format("provenance data must be 'simulated' or 'real', not '{}'{}", *s,
                                                       io::detail::did_you_mean(*s, kinds)));
        } else {
          p.data = *s;
        }
      }
    }
  }
  if (const ynode* v = f.get("dimensions")) read_dimensions(v);
  if (const ynode* v = f.get("latent")) read_latent(v);
  if (const ynode* v = f.get("meta")) info_.meta = read_meta(v, {});
  if (const ynode* v = f.get("description")) {
    // Accepted for authors' notes; kept as bank metadata on save.
    if (auto s = text(v, "description")) info_.meta.insert(info_.meta.begin(), meta_entry{"description", *s, false});
  }
}

void reader::read_dimensions(const ynode* n) {
  dimensions_node_ = n;
  if (!n->is_sequence() || n->children.empty()) {
    sink_.error(n, {}, "dimensions", "dimensions must be a list of at least one dimension ({id: ..., area: ...})");
    return;
  }
  if (n->children.size() > irt::max_dimensions) {
    sink_.error(n, {}, "dimensions", fmt::format("a bank may have at most {} dimensions, got {}", irt::max_dimensions,
                                                 n->children.size()));
    return;
  }
  for (const ynode* e : n->children) {
    bank_dimension dim;
    const ynode* area_node = nullptr;
    const ynode* id_node = e;
    if (e->is_scalar()) {
      dim.id = e->value;
    } else if (expect_map(e, "a dimension")) {
      map_fields df(*e, dimension_keys, sink_, {}, "dimension");
      if ((id_node = df.get("id"))) {
        if (auto s = text(id_node, "dimension id")) dim.id = *s;
      } else {
        sink_.error(e, {}, "missing-key", "dimension has no 'id'");
        id_node = e;
      }
      if ((area_node = df.get("area"))) {
        if (auto s = text(area_node, "dimension area")) dim.area = *s;
      }
      if (const ynode* r = df.get("role")) {
        if (auto s = text(r, "dimension role")) {
          if (*s == "general") dim.role = dimension_role::general;
          else if (*s == "specific") dim.role = dimension_role::specific;
          else if (*s != "area")
            sink_.error(r, {}, "dimensions", fmt::format("dimension role must be 'area', 'general' or 'specific', not '{}'{}",
                                                         *s, io::detail::did_you_mean(*s, dimension_roles)));
        }
      }
      if (const ynode* t = df.get("title")) dim.titles = localized(t, "the dimension title", {});
    } else {
      continue;
    }
    if (dim.id.empty() || !std::all_of(dim.id.begin(), dim.id.end(), [](unsigned char c) { return valid_id_char(c); })) {
      sink_.error(id_node, {}, "bad-id", fmt::format("dimension id '{}' may hold only letters, digits, '.', '_' and '-'", dim.id));
      continue;
    }
    if (std::any_of(info_.dimensions.begin(), info_.dimensions.end(), [&](const auto& d) { return d.id == dim.id; })) {
      sink_.error(id_node, {}, "dimensions", fmt::format("dimension '{}' is listed twice", dim.id));
      continue;
    }
    if (!dim.area.empty() && dim.role == dimension_role::general)
      sink_.error(area_node, {}, "dimensions",
                  fmt::format("dimension '{}' is a general factor and cannot report area '{}'", dim.id, dim.area));
    for (std::size_t d = 0; d < info_.dimensions.size(); ++d)
      if (!dim.area.empty() && info_.dimensions[d].area == dim.area)
        sink_.error(area_node, {}, "dimensions",
                    fmt::format("area '{}' is reported by two dimensions ('{}' and '{}')", dim.area, info_.dimensions[d].id, dim.id));
    info_.dimensions.push_back(std::move(dim));
    dimension_area_nodes_.push_back(area_node);
  }
}

// A list of dims lists of dims numbers, row-major; empty (reported) when it is not.
std::vector<double> reader::number_matrix(const ynode* n, std::string_view what, std::size_t dims) {
  std::vector<double> out;
  if (!n->is_sequence() || n->children.size() != dims) {
    sink_.error(n, {}, "latent", fmt::format("{} must be a list of {} rows (one per dimension)", what, dims));
    return {};
  }
  for (const ynode* row : n->children) {
    if (!row->is_sequence() || row->children.size() != dims) {
      sink_.error(row, {}, "latent", fmt::format("each row of {} must be a list of {} numbers", what, dims));
      return {};
    }
    for (const ynode* x : row->children) {
      auto v = number(x, fmt::format("each entry of {}", what));
      if (!v) return {};
      out.push_back(*v);
    }
  }
  return out;
}

void reader::read_latent(const ynode* n) {
  if (!expect_map(n, "latent")) return;
  map_fields lf(*n, latent_keys, sink_, {}, "latent");
  const std::size_t dims = info_.dimensions.size();
  if (dims == 0) {
    sink_.error(n, {}, "latent", "'latent' describes the bank's dimensions; list them in bank.dimensions first");
    return;
  }
  if (const ynode* m = lf.get("mean")) {
    if (!m->is_sequence() || m->children.size() != dims) {
      sink_.error(m, {}, "latent", fmt::format("the latent mean must be a list of {} numbers (one per dimension)", dims));
    } else {
      for (const ynode* x : m->children)
        if (auto v = number(x, "each entry of the latent mean")) info_.latent_mean.push_back(*v);
      if (info_.latent_mean.size() != dims) info_.latent_mean.clear();
    }
  }
  const ynode* cor = lf.get("correlation");
  const ynode* cov = lf.get("covariance");
  if (cor && cov) {
    sink_.error(cov, {}, "latent", "give the latent 'correlation' or 'covariance', not both");
    return;
  }
  if (!cor && !cov) return;  // identity
  const ynode* at = cor ? cor : cov;
  auto matrix = number_matrix(at, cor ? "the latent correlation" : "the latent covariance", dims);
  if (matrix.empty()) return;
  if (cor) {
    for (std::size_t d = 0; d < dims; ++d)
      if (matrix[d * dims + d] != 1.0) {
        sink_.error(at->children[d]->children[d], {}, "latent",
                    fmt::format("a correlation matrix has 1 on its diagonal; entry ({0}, {0}) is {1}", d + 1,
                                at->children[d]->children[d]->value));
        return;
      }
    for (double x : matrix)
      if (!(x >= -1.0 && x <= 1.0)) {
        sink_.error(at, {}, "latent", fmt::format("correlations lie in [-1, 1]; got {}", io::detail::format_number(x)));
        return;
      }
  }
  if (auto problem = irt::check_covariance(matrix, dims); !problem.empty()) {
    sink_.error(at, {}, "latent", fmt::format("{}: {}", cor ? "the latent correlation" : "the latent covariance", problem));
    return;
  }
  info_.latent_covariance = std::move(matrix);
  info_.latent_as_correlation = cor != nullptr;
}

// params.a as one slope per dimension: a list in dimension order, or a map dimension id -> slope
// (dimensions not named have slope 0). Fills item.slopes (D applied).
bool reader::read_slopes(const ynode* n, bank_item& item) {
  const std::string& id = item.id;
  const std::size_t dims = info_.dimensions.size();
  if (dims == 0) {
    sink_.error(n, id, "params", "a slope per dimension needs the bank's dimensions (bank.dimensions); give one number 'a'");
    return false;
  }
  std::vector<double> slopes(dims, 0.0);
  if (n->is_sequence()) {
    if (n->children.size() != dims) {
      sink_.error(n, id, "params", fmt::format("'a' lists {} slopes; the bank has {} dimensions", n->children.size(), dims));
      return false;
    }
    for (std::size_t d = 0; d < dims; ++d) {
      auto v = number(n->children[d], "each slope of 'a'", id);
      if (!v) return false;
      slopes[d] = *v;
    }
  } else {
    std::vector<std::string_view> ids;
    for (const auto& dim : info_.dimensions) ids.push_back(dim.id);
    for (std::size_t i = 0; i + 1 < n->children.size(); i += 2) {
      const ynode* k = n->children[i];
      auto it = std::find(ids.begin(), ids.end(), k->value);
      if (!k->is_scalar() || it == ids.end()) {
        sink_.error(k, id, "params", fmt::format("'{}' is not one of the bank's dimensions [{}]{}", k->is_scalar() ? k->value : "?",
                                                 fmt::join(ids, ", "), io::detail::did_you_mean(k->value, ids)));
        return false;
      }
      auto v = number(n->children[i + 1], fmt::format("the slope on '{}'", k->value), id);
      if (!v) return false;
      slopes[static_cast<std::size_t>(it - ids.begin())] = *v;
    }
  }
  for (double& a : slopes) a *= info_.scaling;
  if (auto problem = irt::check_slopes(slopes); !problem.empty()) {
    sink_.error(n, id, "params", problem);
    return false;
  }
  item.slopes = std::move(slopes);
  return true;
}

// Which canonical parameter each spelling stands for.
std::string_view canonical_param(std::string_view key) {
  if (key == "discrimination") return "a";
  if (key == "difficulty") return "b";
  if (key == "guessing") return "c";
  if (key == "slipping" || key == "upper") return "d";
  return key;
}

bool reader::read_params(const ynode* n, irt::model kind, bank_item& item, item_extra& extra) {
  const std::string& id = item.id;
  if (!expect_map(n, "params", id)) return false;
  map_fields f(*n, param_keys, sink_, id, "params");
  const std::string_view model_name = irt::to_string(kind);
  // Canonical name -> (key node, value node); aliases must not repeat a name.
  std::unordered_map<std::string_view, std::pair<const ynode*, const ynode*>> p;
  bool ok = true;
  for (const auto& [k, v] : f.entries()) {
    auto name = canonical_param(k->value);
    if (auto it = p.find(name); it != p.end()) {
      sink_.error(k, id, "params", fmt::format("'{}' and '{}' are the same parameter; give one", it->second.first->value, k->value));
      ok = false;
      continue;
    }
    p.emplace(name, std::make_pair(k, v));
  }
  const bool dich = irt::is_dichotomous(kind);
  auto allowed = [&](std::string_view name) {
    if (name == "a") return true;  // checked per model below (pcm: only 1)
    if (name == "b" || name == "intercept" || name == "intercepts") return true;
    if (name == "c") return kind == irt::model::three_pl || kind == irt::model::four_pl;
    if (name == "d") return kind == irt::model::four_pl;
    if (name == "scores") return kind == irt::model::nominal;
    return false;
  };
  for (const auto& [name, kv] : p)
    if (!allowed(name)) {
      std::string hint;
      if (name == "c") hint = " (the lower asymptote c needs model 3pl or 4pl)";
      else if (name == "d") hint = " (the upper asymptote d needs model 4pl)";
      else if (name == "scores") hint = " (category scores belong to the nominal model)";
      sink_.error(kv.first, id, "params", fmt::format("parameter '{}' does not belong to model {}{}", kv.first->value, model_name, hint));
      ok = false;
    }
  auto get = [&](std::string_view name) -> const ynode* {
    auto it = p.find(name);
    return it == p.end() ? nullptr : it->second.second;
  };
  const ynode* na = get("a");
  const ynode* nb = get("b");
  const ynode* nint = get("intercept");
  const ynode* nints = get("intercepts");

  // Slope: one number, or (profile banks) one per dimension.
  double a = 1.0;
  if (na && (na->is_sequence() || na->is_map())) {
    extra.slopes_node = na;
    if (kind == irt::model::one_pl || kind == irt::model::pcm) {
      sink_.error(na, id, "params", fmt::format("model {} has a fixed slope; give model {} for a slope per dimension",
                                                model_name, kind == irt::model::pcm ? "gpcm" : "2pl"));
      return false;
    }
    if (nb) {
      sink_.error(p["b"].first, id, "params",
                  "an item with a slope per dimension takes the intercept form ('intercept' or 'intercepts'): b has no "
                  "single meaning across dimensions");
      return false;
    }
    if (!read_slopes(na, item)) return false;
    a = irt::mdisc(item.slopes) / info_.scaling;
  } else if (na) {
    if (auto x = number(na, "a", id)) {
      if (!(*x > 0)) {
        sink_.error(na, id, "params", fmt::format("discrimination a must be > 0, got {}", na->value));
        ok = false;
      } else if (kind == irt::model::pcm && *x != 1.0) {
        sink_.error(na, id, "params", "the partial credit model has a = 1; use gpcm for a free slope");
        ok = false;
      }
      a = *x;
    } else {
      ok = false;
    }
  } else if (kind != irt::model::one_pl && kind != irt::model::pcm) {
    sink_.error(n, id, "params", fmt::format("model {} needs a discrimination 'a'", model_name));
    ok = false;
  }

  // Location: difficulty or intercept form, not both.
  const ynode* loc_intercept = dich ? nint : nints;
  const ynode* wrong_intercept = dich ? nints : nint;
  if (wrong_intercept) {
    sink_.error(p[dich ? "intercepts" : "intercept"].first, id, "params",
                dich ? fmt::format("model {} has one 'intercept', not a list 'intercepts'", model_name)
                     : fmt::format("model {} takes a list 'intercepts', not 'intercept'", model_name));
    ok = false;
  }
  if (kind == irt::model::nominal && nb) {
    sink_.error(p["b"].first, id, "params", "the nominal model has no difficulty form; give a, intercepts and scores");
    return false;
  }
  if (nb && loc_intercept) {
    sink_.error(p[dich ? "intercept" : "intercepts"].first, id, "params",
                "give either difficulty 'b' or the intercept form, not both");
    return false;
  }
  if (!nb && !loc_intercept) {
    const bool misspelt = f.suggested("b") || f.suggested("intercept") || f.suggested("intercepts") ||
                          f.suggested("difficulty");
    if (!wrong_intercept && !misspelt)
      sink_.error(n, id, "params",
                  kind == irt::model::nominal
                      ? std::string("the nominal model needs 'intercepts' and 'scores'")
                      : fmt::format("model {} needs {} (difficulty form) or {} (intercept form)", model_name,
                                    dich ? "'b'" : "a list 'b'", dich ? "'intercept'" : "a list 'intercepts'"));
    return false;
  }

  // Values of b / intercepts.
  std::vector<double> values;
  const ynode* vnode = nb ? nb : loc_intercept;
  const std::string_view vname = nb ? "b" : (dich ? "intercept" : "intercepts");
  std::vector<const ynode*> value_nodes;
  if (dich) {
    if (vnode->is_sequence()) {
      sink_.error(vnode, id, "params", fmt::format("'{}' of model {} is one number, not a list", vname, model_name));
      return false;
    }
    if (auto x = number(vnode, vname, id)) {
      values.push_back(*x);
      value_nodes.push_back(vnode);
    } else {
      return false;
    }
  } else {
    if (!vnode->is_sequence()) {
      sink_.error(vnode, id, "params",
                  fmt::format("'{}' of model {} is a list (one entry per step between categories)", vname, model_name));
      return false;
    }
    for (const ynode* e : vnode->children) {
      if (auto x = number(e, fmt::format("each entry of '{}'", vname), id)) {
        values.push_back(*x);
        value_nodes.push_back(e);
      } else {
        ok = false;
      }
    }
    if (!ok) return false;
    if (values.empty()) {
      sink_.error(vnode, id, "params", fmt::format("'{}' needs at least one entry (two categories)", vname));
      return false;
    }
    if (values.size() + 1 > static_cast<std::size_t>(irt::max_categories)) {
      sink_.error(vnode, id, "params", fmt::format("an item may have at most {} categories, got {}",
                                                   irt::max_categories, values.size() + 1));
      return false;
    }
    if (kind == irt::model::grm) {
      for (std::size_t i = 1; i < values.size(); ++i) {
        const bool good = nb ? values[i] > values[i - 1] : values[i] < values[i - 1];
        if (!good) {
          sink_.error(value_nodes[i], id, "params",
                      nb ? fmt::format("graded response thresholds b must increase: {} follows {}", value_nodes[i]->value,
                                       value_nodes[i - 1]->value)
                         : fmt::format("graded response intercepts must decrease: {} follows {}", value_nodes[i]->value,
                                       value_nodes[i - 1]->value));
          ok = false;
          break;
        }
      }
    }
  }

  // Asymptotes.
  double c = 0.0, d = 1.0;
  const ynode* nc = get("c");
  const ynode* nd = get("d");
  if (nc && allowed("c")) {
    if (auto x = number(nc, "c", id)) c = *x;
    else ok = false;
  }
  if (nd && allowed("d")) {
    if (auto x = number(nd, "d", id)) d = *x;
    else ok = false;
  }
  if (ok && dich && !(0.0 <= c && c < d && d <= 1.0)) {
    sink_.error(nc && !(0.0 <= c && c < 1.0) ? nc : (nd ? nd : nc), id, "params",
                fmt::format("asymptotes must satisfy 0 <= c < d <= 1, got c = {}, d = {}", io::detail::format_number(c),
                            io::detail::format_number(d)));
    ok = false;
  }

  // Nominal category scores.
  std::vector<double> scores;
  if (kind == irt::model::nominal) {
    const ynode* ns = get("scores");
    if (!ns) {
      sink_.error(n, id, "params", "the nominal model needs 'scores' (one per intercept)");
      ok = false;
    } else if (!ns->is_sequence()) {
      sink_.error(ns, id, "params", "'scores' is a list (one per intercept)");
      ok = false;
    } else {
      for (const ynode* e : ns->children) {
        if (auto x = number(e, "each entry of 'scores'", id)) scores.push_back(*x);
        else ok = false;
      }
      if (ok && scores.size() != values.size()) {
        sink_.error(ns, id, "params", fmt::format("the nominal model needs one score per intercept: {} intercepts, {} scores",
                                                  values.size(), scores.size()));
        ok = false;
      }
    }
  }
  if (!ok) return false;

  const double D = info_.scaling;
  if (nb) {
    item.params = irt::to_intercept_form(irt::difficulty_form{.kind = kind, .a = a, .b = values, .c = c, .d = d}, D);
  } else {
    item.params.kind = kind;
    item.params.slope = D * (kind == irt::model::pcm ? 1.0 : a);
    if (dich) {
      item.params.lower = c;
      item.params.upper = d;
    }
    item.params.intercepts = std::move(values);
    item.params.scores = std::move(scores);
  }
  if (auto problem = irt::check_params(item.params); !problem.empty()) {
    sink_.error(n, id, "params", problem);
    return false;
  }
  return true;
}

void reader::read_item(const ynode* n) {
  bank_item item;
  item_extra extra;
  extra.node = n;
  if (!expect_map(n, "an item")) {
    items_.push_back(std::move(item));
    extra_.push_back(extra);
    return;
  }
  // The id first, so every later message names the item.
  const ynode* id_node = nullptr;
  for (std::size_t i = 0; i + 1 < n->children.size(); i += 2)
    if (n->children[i]->is_scalar() && n->children[i]->value == "id") {
      id_node = n->children[i + 1];
      break;
    }
  const std::string pos_name = fmt::format("#{}", items_.size() + 1);
  if (!id_node) {
    std::vector<diagnostic> scratch;  // only to learn whether a misspelt 'id' was there
    diag_sink quiet(scratch, {}, 1);
    if (!map_fields(*n, item_keys, quiet, {}, "item").suggested("id"))
      sink_.error(n, pos_name, "missing-key", "item has no 'id'");
  } else if (!id_node->is_scalar()) {
    sink_.error(id_node, pos_name, "type", fmt::format("item id must be a single value, not {}", io::detail::describe(*id_node)));
  } else if (!valid_item_id(id_node->value)) {
    sink_.error(id_node, id_node->value, "bad-id",
                "item ids may not be empty or hold spaces, commas, quotes, semicolons or control characters");
    item.id = id_node->value;
  } else {
    item.id = id_node->value;
  }
  extra.id_node = id_node;
  const std::string name = item.id.empty() ? pos_name : item.id;

  map_fields f(*n, item_keys, sink_, name, "item");

  // Model and parameters.
  const ynode* model_node = f.get("model");
  std::optional<irt::model> kind;
  if (!model_node) {
    if (!f.suggested("model")) sink_.error(n, name, "missing-key", "item has no 'model' (1pl, 2pl, 3pl, 4pl, grm, gpcm, pcm or nominal)");
  } else if (auto s = text(model_node, "model", name)) {
    std::string lower = *s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    kind = irt::parse_model(lower);
    if (!kind)
      sink_.error(model_node, name, "unknown-model",
                  fmt::format("unknown model '{}'{}; dskill knows 1pl, rasch, 2pl, 3pl, 4pl, grm, gpcm, pcm and nominal", *s,
                              io::detail::did_you_mean(lower, model_names)));
  }
  if (const ynode* p = f.get("params")) {
    if (kind) extra.params_ok = read_params(p, *kind, item, extra);
  } else if (!f.suggested("params")) {
    sink_.error(n, name, "missing-key", "item has no 'params'");
  }

  if (const ynode* v = f.get("competences")) {
    item.competences = string_list(v, "competences", name, &extra.competence_nodes, /*allow_single=*/true);
    for (std::size_t i = 0; i < item.competences.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (item.competences[i] == item.competences[j])
          sink_.error(extra.competence_nodes[i], name, "competence",
                      fmt::format("competence '{}' is listed twice", item.competences[i]));
  }
  if (const ynode* v = f.get("level")) {
    extra.level_node = v;
    if (auto k = integer(v, "level", name)) {
      if (*k < 1 || *k > 1000) sink_.error(v, name, "level", fmt::format("level must be a level number >= 1, got {}", *k));
      else item.level = static_cast<int>(*k);
    }
  }
  if (const ynode* v = f.get("status")) {
    if (auto s = text(v, "status", name)) {
      if (*s == "operational") item.status = item_status::operational;
      else if (*s == "pretest") item.status = item_status::pretest;
      else if (*s == "retired") item.status = item_status::retired;
      else
        sink_.error(v, name, "status", fmt::format("status must be operational, pretest or retired, not '{}'{}", *s,
                                                   io::detail::did_you_mean(*s, status_names)));
    }
  }

  // Content per language.
  const ynode* content_node = f.get("content");
  std::vector<const ynode*> options_nodes;  // parallel to item.content
  if (content_node && expect_map(content_node, "content", name)) {
    for (std::size_t i = 0; i + 1 < content_node->children.size(); i += 2) {
      const ynode* k = content_node->children[i];
      const ynode* v = content_node->children[i + 1];
      if (!k->is_scalar() || !valid_language(k->value)) {
        sink_.error(k, name, "language", fmt::format("content is keyed by language tag (en, vi, ...), not '{}'",
                                                      k->is_scalar() ? k->value : std::string(io::detail::describe(*k))));
        continue;
      }
      if (std::any_of(item.content.begin(), item.content.end(), [&](const auto& c) { return c.first == k->value; })) {
        sink_.error(k, name, "duplicate-key", fmt::format("content language '{}' appears twice", k->value));
        continue;
      }
      check_language(k, k->value, "content", name);
      item_content c;
      const ynode* opts = nullptr;
      if (expect_map(v, fmt::format("content '{}'", k->value), name)) {
        map_fields cf(*v, content_keys, sink_, name, fmt::format("content '{}'", k->value));
        if (const ynode* s = cf.get("stem")) c.stem = text(s, "stem", name).value_or("");
        else sink_.error(v, name, "missing-key", fmt::format("content '{}' has no 'stem'", k->value));
        if (const ynode* o = cf.get("options")) {
          c.options = string_list(o, "options", name);
          opts = o;
        }
      }
      item.content.emplace_back(k->value, std::move(c));
      options_nodes.push_back(opts ? opts : v);
    }
    check_all_languages(content_node, [&](std::string_view l) {
      return std::any_of(item.content.begin(), item.content.end(), [&](const auto& c) { return c.first == l; });
    }, "content", name);
    // Options must correspond across languages: the key is one index for all of them.
    for (std::size_t i = 1; i < item.content.size(); ++i)
      if (item.content[i].second.options.size() != item.content[0].second.options.size())
        sink_.error(options_nodes[i], name, "options",
                    fmt::format("content '{}' has {} options but '{}' has {}; every language must give the same options",
                                item.content[i].first, item.content[i].second.options.size(), item.content[0].first,
                                item.content[0].second.options.size()));
  }
  const std::size_t n_options = item.content.empty() ? 0 : item.content[0].second.options.size();

  if (const ynode* v = f.get("key")) {
    if (kind && !irt::is_dichotomous(*kind)) {
      sink_.error(f.key_node("key"), name, "key", "a polytomous item gives 'scoring' per category, not a 'key'");
    } else if (auto k = integer(v, "key", name)) {
      if (*k < 0) sink_.error(v, name, "key", fmt::format("key is a 0-based option index, got {}", *k));
      else if (!item.content.empty() && static_cast<std::size_t>(*k) >= n_options)
        sink_.error(v, name, "key",
                    n_options == 0 ? std::string("key is given but the item has no options")
                                   : fmt::format("key {} is not among the options (0 to {}, 0-based)", *k, n_options - 1));
      else item.key = static_cast<int>(*k);
    }
  } else if (kind && irt::is_dichotomous(*kind) && n_options > 0) {
    sink_.warning(n, name, "key", "multiple-choice item has options but no 'key'");
  }

  if (const ynode* v = f.get("scoring")) {
    if (kind && irt::is_dichotomous(*kind)) {
      sink_.error(f.key_node("scoring"), name, "scoring", "a dichotomous item gives a 'key', not 'scoring'");
    } else if (expect_map(v, "scoring", name)) {
      const int categories = extra.params_ok ? item.params.categories() : 0;
      for (std::size_t i = 0; i + 1 < v->children.size(); i += 2) {
        const ynode* k = v->children[i];
        const ynode* s = v->children[i + 1];
        if (!k->is_scalar() || !valid_language(k->value)) {
          sink_.error(k, name, "language", "scoring is keyed by language tag (en, vi, ...)");
          continue;
        }
        check_language(k, k->value, "scoring", name);
        auto entries = string_list(s, fmt::format("scoring '{}'", k->value), name);
        if (categories > 0 && entries.size() != static_cast<std::size_t>(categories))
          sink_.error(s, name, "scoring",
                      fmt::format("scoring '{}' has {} entries but model {} with these parameters has {} categories",
                                  k->value, entries.size(), irt::to_string(item.params.kind), categories));
        auto it = std::find_if(item.content.begin(), item.content.end(), [&](const auto& c) { return c.first == k->value; });
        if (it == item.content.end()) {
          item.content.emplace_back(k->value, item_content{});
          it = std::prev(item.content.end());
        }
        if (!it->second.scoring.empty())
          sink_.error(k, name, "duplicate-key", fmt::format("scoring language '{}' appears twice", k->value));
        it->second.scoring = std::move(entries);
      }
      check_all_languages(v, [&](std::string_view l) {
        for (std::size_t i = 0; i + 1 < v->children.size(); i += 2)
          if (v->children[i]->is_scalar() && v->children[i]->value == l) return true;
        return false;
      }, "scoring", name);
    }
  }

  if (const ynode* v = f.get("media")) {
    if (v->is_sequence()) {
      for (const ynode* m : v->children) {
        if (!expect_map(m, "a media entry", name)) continue;
        map_fields mf(*m, media_keys, sink_, name, "media");
        media_ref r;
        if (const ynode* t = mf.get("type")) r.type = text(t, "media type", name).value_or("");
        if (const ynode* u = mf.get("uri")) r.uri = text(u, "media uri", name).value_or("");
        else sink_.error(m, name, "missing-key", "media entry has no 'uri'");
        if (const ynode* a = mf.get("alt")) r.alt = localized(a, "media alt text", name);
        item.media.push_back(std::move(r));
      }
    } else if (v->kind != ynode::null) {
      sink_.error(v, name, "type", fmt::format("media must be a list, not {}", io::detail::describe(*v)));
    }
  }
  if (const ynode* v = f.get("enemies")) item.enemies = string_list(v, "enemies", name, &extra.enemy_nodes, true);
  if (const ynode* v = f.get("exposure"); v && expect_map(v, "exposure", name)) {
    map_fields ef(*v, exposure_keys, sink_, name, "exposure");
    if (const ynode* sh = ef.get("sh")) {
      if (auto x = number(sh, "exposure sh", name)) {
        if (!(*x > 0 && *x <= 1))
          sink_.error(sh, name, "exposure", fmt::format("Sympson-Hetter parameter sh must be in (0, 1], got {}", sh->value));
        else item.exposure_control = *x;
      }
    }
  }
  if (const ynode* v = f.get("tags")) item.tags = string_list(v, "tags", name, nullptr, true);
  if (const ynode* v = f.get("meta")) item.meta = read_meta(v, name);
  // Profile banks: the one dimension the item measures, or its slopes per dimension (params.a).
  const ynode* dim_node = f.get("dimension");
  if (info_.dimensions.empty()) {
    if (dim_node) sink_.error(dim_node, name, "dimension", "'dimension' needs the bank's dimensions (bank.dimensions)");
  } else if (dim_node && extra.slopes_node) {
    sink_.error(dim_node, name, "dimension", "give the item's 'dimension' or a slope per dimension in params.a, not both");
  } else if (dim_node) {
    std::vector<std::string_view> ids;
    for (const auto& dim : info_.dimensions) ids.push_back(dim.id);
    auto it = dim_node->is_scalar() ? std::find(ids.begin(), ids.end(), dim_node->value) : ids.end();
    if (it == ids.end()) {
      sink_.error(dim_node, name, "dimension",
                  fmt::format("dimension '{}' is not one of the bank's dimensions [{}]{}", dim_node->is_scalar() ? dim_node->value : "?",
                              fmt::join(ids, ", "), io::detail::did_you_mean(dim_node->is_scalar() ? dim_node->value : "", ids)));
      extra.params_ok = false;
    } else if (extra.params_ok) {
      item.slopes.assign(ids.size(), 0.0);
      item.slopes[static_cast<std::size_t>(it - ids.begin())] = item.params.slope;
    }
  } else if (!extra.slopes_node && !item.id.empty()) {
    std::vector<std::string_view> ids;
    for (const auto& dim : info_.dimensions) ids.push_back(dim.id);
    sink_.error(n, name, "dimension",
                fmt::format("the bank has dimensions: give the item's 'dimension' (one of [{}]) or a slope per dimension in params.a",
                            fmt::join(ids, ", ")));
    extra.params_ok = false;
  }

  items_.push_back(std::move(item));
  extra_.push_back(std::move(extra));
}

void reader::cross_checks() {
  // Duplicate ids (reported at the later occurrence, naming the first).
  index_.reserve(items_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto& id = items_[i].id;
    if (id.empty()) continue;
    auto [it, inserted] = index_.emplace(id, i);
    if (!inserted)
      sink_.error(extra_[i].id_node, id, "duplicate-id",
                  fmt::format("duplicate item id (first defined on line {})", extra_[it->second].id_node->line));
  }
  // Enemies: exist, not self, symmetric.
  std::vector<std::string_view> all_ids;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto& item = items_[i];
    for (std::size_t e = 0; e < item.enemies.size(); ++e) {
      const std::string& other = item.enemies[e];
      const ynode* at = extra_[i].enemy_nodes[e];
      if (other == item.id) {
        sink_.error(at, item.id, "enemy", "an item cannot be its own enemy");
        continue;
      }
      auto it = index_.find(other);
      if (it == index_.end()) {
        if (all_ids.empty())
          for (const auto& x : items_) all_ids.push_back(x.id);
        sink_.error(at, item.id, "enemy",
                    fmt::format("enemy '{}' is not in the bank{}", other, io::detail::did_you_mean(other, all_ids)));
        continue;
      }
      const auto& back = items_[it->second].enemies;
      if (std::find(back.begin(), back.end(), item.id) == back.end())
        sink_.error(at, item.id, "enemy",
                    fmt::format("enemy '{}' does not list '{}' among its enemies (enemies must be symmetric)", other, item.id));
    }
  }
  // Framework: id and version, competences, levels; fills areas.
  const framework::framework* fw = options_.framework;
  if (!fw) return;
  if (!info_.framework_id.empty() && info_.framework_id != fw->id())
    sink_.error(framework_node_, {}, "framework",
                fmt::format("the bank is written for framework '{}', not '{}'", info_.framework_id, fw->id()));
  else if (!info_.framework_version.empty() && info_.framework_version != fw->version())
    sink_.error(framework_node_, {}, "framework",
                fmt::format("the bank is written for {} version '{}', but the framework given is version '{}'", fw->id(),
                            info_.framework_version, fw->version()));
  if (info_.framework_id.empty())
    sink_.warning(nullptr, {}, "framework", fmt::format("the bank does not name its framework (expected '{}')", fw->id()));
  std::vector<std::string> competence_ids;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    auto& item = items_[i];
    if (item.competences.empty() && !item.id.empty())
      sink_.warning(extra_[i].id_node, item.id, "competence",
                    "item names no competence, so it counts towards no area of the framework");
    for (std::size_t c = 0; c < item.competences.size(); ++c) {
      auto area = fw->area_index_of(item.competences[c]);
      if (!area) {
        if (competence_ids.empty())
          for (const auto& comp : fw->competences()) competence_ids.push_back(comp.id);
        sink_.error(extra_[i].competence_nodes[c], item.id, "competence",
                    fmt::format("competence '{}' is not in framework {}{}", item.competences[c], fw->id(),
                                io::detail::did_you_mean(item.competences[c], competence_ids)));
        continue;
      }
      if (c == 0) item.area = fw->areas()[*area].id;
    }
    if (item.level > fw->level_count())
      sink_.error(extra_[i].level_node, item.id, "level",
                  fmt::format("level {} is beyond the framework's levels (1 to {})", item.level, fw->level_count()));
  }
  if (info_.dimensions.empty()) return;
  // Profile banks: each dimension's area is the framework's; every area has a dimension; an item
  // measuring one area dimension belongs to that area.
  std::vector<std::string_view> area_ids;
  for (const auto& a : fw->areas()) area_ids.push_back(a.id);
  for (std::size_t d = 0; d < info_.dimensions.size(); ++d) {
    const auto& dim = info_.dimensions[d];
    if (!dim.area.empty() && !fw->area_index(dim.area))
      sink_.error(dimension_area_nodes_[d], {}, "dimensions",
                  fmt::format("dimension '{}' reports area '{}', which is not an area of framework {} [{}]{}", dim.id, dim.area,
                              fw->id(), fmt::join(area_ids, ", "), io::detail::did_you_mean(dim.area, area_ids)));
  }
  for (const auto& a : fw->areas())
    if (std::none_of(info_.dimensions.begin(), info_.dimensions.end(), [&](const auto& d) { return d.area == a.id; }))
      sink_.warning(dimensions_node_, {}, "dimensions",
                    fmt::format("no dimension reports area '{}' of framework {}, so a profile gives it no level", a.id, fw->id()));
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto& item = items_[i];
    if (item.area.empty() || item.slopes.size() != info_.dimensions.size()) continue;
    std::size_t loads = 0, on = 0;
    for (std::size_t d = 0; d < item.slopes.size(); ++d)
      if (item.slopes[d] != 0.0 && info_.dimensions[d].role == dimension_role::area) ++loads, on = d;
    if (loads == 1 && !info_.dimensions[on].area.empty() && info_.dimensions[on].area != item.area)
      sink_.warning(extra_[i].node, item.id, "dimension",
                    fmt::format("the item's competence is in area '{}', but it measures dimension '{}' (area '{}')", item.area,
                                info_.dimensions[on].id, info_.dimensions[on].area));
  }
}

std::shared_ptr<const item_bank> reader::read(const ynode* root) {
  if (root == nullptr || root->kind == ynode::null) {
    ynode start;
    start.line = start.column = 1;
    sink_.error(&start, {}, "empty", "the file is empty: a bank starts with 'dskill: 1'");
    return nullptr;
  }
  if (!root->is_map()) {
    sink_.error(root, {}, "type", fmt::format("a bank file is a map starting with 'dskill: 1', not {}", io::detail::describe(*root)));
    return nullptr;
  }
  for (std::size_t i = 0; i + 1 < root->children.size(); i += 2)
    if (root->children[i]->is_scalar() && root->children[i]->value == "dskill_framework") {
      sink_.error(root->children[i], {}, "not-a-bank", "this is a framework file, not an item bank");
      return nullptr;
    }
  map_fields f(*root, root_keys, sink_, {}, "the bank file");
  if (const ynode* v = f.get("dskill")) {
    auto version = io::detail::to_integer(*v);
    if (!version || !v->plain)
      sink_.error(v, {}, "schema-version", fmt::format("schema version must be a whole number, not '{}'", v->is_scalar() ? v->value : "?"));
    else if (*version != 1)
      sink_.error(v, {}, "schema-version", fmt::format("unsupported schema version {} (this dskill reads version 1)", *version));
  } else {
    sink_.error(root, {}, "schema-version", "missing 'dskill: 1' (the schema version) at the top of the file");
  }
  if (const ynode* v = f.get("bank")) read_bank_section(v);
  else sink_.error(root, {}, "missing-key", "missing 'bank' section (at least its id)");
  if (const ynode* v = f.get("items")) {
    if (v->is_sequence()) {
      items_.reserve(v->children.size());
      extra_.reserve(v->children.size());
      for (const ynode* item : v->children) read_item(item);
      if (v->children.empty()) sink_.warning(v, {}, "empty", "the bank has no items");
    } else {
      sink_.error(v, {}, "type", fmt::format("items must be a list, not {}", io::detail::describe(*v)));
    }
  } else {
    sink_.error(root, {}, "missing-key", "missing 'items' (the list of items)");
  }
  cross_checks();
  if (sink_.errors() > 0 || (options_.warnings_as_errors && sink_.warnings() > 0)) return nullptr;
  try {
    return std::make_shared<const item_bank>(std::move(info_), std::move(items_));
  } catch (const error& e) {
    sink_.error(nullptr, e.where().item_id, "bank", std::string(e.detail()));
    return nullptr;
  }
}

// Runs the reader; returns the bank (nullptr when any error) and fills diagnostics.
std::shared_ptr<const item_bank> run(std::string_view yaml, const load_options& options, const std::string& name,
                                     std::vector<diagnostic>& out) {
  diag_sink sink(out, name, options.max_diagnostics);
  std::shared_ptr<const item_bank> bank;
  try {
    io::detail::ydoc doc = io::detail::parse_yaml(yaml, name);
    reader r(sink, options);
    bank = r.read(doc.root);
  } catch (const parse_error& e) {
    out.push_back(diagnostic{severity::error, e.where(), "syntax", std::string(e.detail())});
    bank = nullptr;
  }
  sink.finish();
  return bank;
}

[[noreturn]] void throw_first(const std::vector<diagnostic>& diags, bool warnings_as_errors) {
  std::string message;
  const diagnostic* first = io::detail::first_problem(diags, warnings_as_errors, "'dskill validate'", message);
  if (!first) throw error(errc::internal, "bank rejected without a diagnostic");
  if (first->code == "syntax" || first->code == "empty" || first->code == "not-a-bank")
    throw parse_error(message, first->where);
  throw bank_error(message, first->where);
}

}  // namespace

std::shared_ptr<const item_bank> load_bank_from_string(std::string_view yaml, const load_options& options,
                                                       std::string_view name) {
  std::vector<diagnostic> diags;
  auto bank = run(yaml, options, std::string(name), diags);
  if (!bank) throw_first(diags, options.warnings_as_errors);
  return bank;
}

std::shared_ptr<const item_bank> load_bank(const std::string& path, const load_options& options) {
  const std::string text = io::read_file_text(path);
  return load_bank_from_string(text, options, path);
}

std::vector<diagnostic> validate_bank_string(std::string_view yaml, const load_options& options, std::string_view name) {
  std::vector<diagnostic> diags;
  run(yaml, options, std::string(name), diags);
  return diags;
}

bank_check check_bank_file(const std::string& path, const load_options& options) {
  bank_check out;
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const error& e) {
    out.diagnostics.push_back(diagnostic{severity::error, e.where(), "io", std::string(e.detail())});
    return out;
  }
  out.bank = run(text, options, path, out.diagnostics);
  return out;
}

std::vector<diagnostic> validate_bank_file(const std::string& path, const load_options& options) {
  return check_bank_file(path, options).diagnostics;
}

std::vector<diagnostic> validate_bank_file(const std::string& path, const framework::framework* fw) {
  load_options options;
  options.framework = fw;
  return validate_bank_file(path, options);
}

}  // namespace bank
DSKILL_END_NAMESPACE
