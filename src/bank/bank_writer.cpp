// Writing item banks as schema v1 YAML.
//
// Parameters are written in difficulty form with the bank's D (the nominal model, which has no
// difficulty form, in intercept form), at 15 significant digits: reading the file back gives
// the same fingerprint (which rounds to 12) and, up to the last bits, the same parameters.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/error.hpp"
#include "dskill/io/yaml_tree.hpp"
#include "dskill/io/atomic_file.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {
namespace {

using io::detail::looks_typed;

void str(YAML::Emitter& out, std::string_view s) {
  if (looks_typed(s)) out << YAML::DoubleQuoted;
  out << std::string(s);
}

void num(YAML::Emitter& out, double x) { out << io::detail::format_number(x); }

void localized(YAML::Emitter& out, const localized_text& t) {
  if (t.values.size() == 1 && t.values[0].first.empty()) {
    str(out, t.values[0].second);
    return;
  }
  out << YAML::Flow << YAML::BeginMap;
  for (const auto& [lang, text] : t.values) {
    out << YAML::Key << lang << YAML::Value;
    str(out, text);
  }
  out << YAML::EndMap;
}

void string_list(YAML::Emitter& out, const std::vector<std::string>& v) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const auto& s : v) str(out, s);
  out << YAML::EndSeq;
}

// Writes a metadata value: plain scalars as they were, quoted ones quoted where needed.
void node(YAML::Emitter& out, const io::detail::ynode& n, int depth) {
  if (depth <= 0) throw error(errc::internal, "metadata nests too deeply");
  switch (n.kind) {
    case io::detail::ynode::null: out << YAML::Null; break;
    case io::detail::ynode::scalar:
      if (n.plain) out << n.value;
      else str(out, n.value);
      break;
    case io::detail::ynode::sequence:
      out << YAML::Flow << YAML::BeginSeq;
      for (const auto* c : n.children) node(out, *c, depth - 1);
      out << YAML::EndSeq;
      break;
    case io::detail::ynode::map:
      out << YAML::Flow << YAML::BeginMap;
      for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
        out << YAML::Key;
        node(out, *n.children[i], depth - 1);
        out << YAML::Value;
        node(out, *n.children[i + 1], depth - 1);
      }
      out << YAML::EndMap;
      break;
  }
}

void meta(YAML::Emitter& out, const std::vector<meta_entry>& entries) {
  out << YAML::BeginMap;
  for (const auto& e : entries) {
    out << YAML::Key << e.key << YAML::Value;
    if (e.yaml) {
      try {
        const io::detail::ydoc doc = io::detail::parse_yaml(e.value, "meta");
        if (doc.root) {
          node(out, *doc.root, 64);
          continue;
        }
      } catch (const error&) {
      }
      str(out, e.value);  // not YAML after all (built in code): keep it as text
    } else {
      str(out, e.value);
    }
  }
  out << YAML::EndMap;
}

void params(YAML::Emitter& out, const irt::item_params& p, double D) {
  out << YAML::Flow << YAML::BeginMap;
  if (p.kind == irt::model::nominal) {
    out << YAML::Key << "a" << YAML::Value;
    num(out, p.slope / D);
    out << YAML::Key << "intercepts" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double d : p.intercepts) num(out, d);
    out << YAML::EndSeq << YAML::Key << "scores" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double s : p.scores) num(out, s);
    out << YAML::EndSeq << YAML::EndMap;
    return;
  }
  const irt::difficulty_form f = irt::to_difficulty_form(p, D);
  if (p.kind != irt::model::pcm && !(p.kind == irt::model::one_pl && f.a == 1.0)) {
    out << YAML::Key << "a" << YAML::Value;
    num(out, f.a);
  }
  out << YAML::Key << "b" << YAML::Value;
  if (irt::is_dichotomous(p.kind)) {
    num(out, f.b.at(0));
  } else {
    out << YAML::Flow << YAML::BeginSeq;
    for (double b : f.b) num(out, b);
    out << YAML::EndSeq;
  }
  if (p.kind == irt::model::three_pl || p.kind == irt::model::four_pl) {
    out << YAML::Key << "c" << YAML::Value;
    num(out, f.c);
  }
  if (p.kind == irt::model::four_pl) {
    out << YAML::Key << "d" << YAML::Value;
    num(out, f.d);
  }
  out << YAML::EndMap;
}

// A profile item on several dimensions: intercept form with a map dimension -> slope.
void multidim_params(YAML::Emitter& out, const bank_item& it, const std::vector<bank_dimension>& dims, double D) {
  const auto& p = it.params;
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "a" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (it.slopes[d] == 0.0) continue;
    out << YAML::Key;
    str(out, dims[d].id);
    out << YAML::Value;
    num(out, it.slopes[d] / D);
  }
  out << YAML::EndMap;
  if (irt::is_dichotomous(p.kind)) {
    out << YAML::Key << "intercept" << YAML::Value;
    num(out, p.intercepts.at(0));
  } else {
    out << YAML::Key << "intercepts" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double d : p.intercepts) num(out, d);
    out << YAML::EndSeq;
  }
  if (p.kind == irt::model::three_pl || p.kind == irt::model::four_pl) {
    out << YAML::Key << "c" << YAML::Value;
    num(out, p.lower);
  }
  if (p.kind == irt::model::four_pl) {
    out << YAML::Key << "d" << YAML::Value;
    num(out, p.upper);
  }
  if (p.kind == irt::model::nominal) {
    out << YAML::Key << "scores" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double x : p.scores) num(out, x);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void item(YAML::Emitter& out, const bank_item& it, const std::vector<bank_dimension>& dims, double D) {
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value;
  str(out, it.id);
  out << YAML::Key << "model" << YAML::Value << std::string(irt::to_string(it.params.kind));
  // A profile item on one dimension keeps the difficulty form and names its dimension.
  std::size_t loads = 0, on = 0;
  for (std::size_t d = 0; d < it.slopes.size(); ++d)
    if (it.slopes[d] != 0.0) ++loads, on = d;
  if (loads == 1 && it.slopes[on] > 0.0) {
    out << YAML::Key << "dimension" << YAML::Value;
    str(out, dims[on].id);
  }
  out << YAML::Key << "params" << YAML::Value;
  if (it.slopes.empty() || (loads == 1 && it.slopes[on] > 0.0)) {
    irt::item_params p = it.params;
    if (loads == 1) p.slope = it.slopes[on];
    params(out, p, D);
  } else {
    multidim_params(out, it, dims, D);
  }
  if (!it.competences.empty()) {
    out << YAML::Key << "competences" << YAML::Value;
    string_list(out, it.competences);
  }
  if (it.level > 0) out << YAML::Key << "level" << YAML::Value << it.level;
  if (it.status != item_status::operational)
    out << YAML::Key << "status" << YAML::Value << std::string(to_string(it.status));
  bool any_stem = false, any_scoring = false;
  for (const auto& [lang, c] : it.content) {
    any_stem = any_stem || !c.stem.empty() || !c.options.empty();
    any_scoring = any_scoring || !c.scoring.empty();
  }
  if (any_stem) {
    out << YAML::Key << "content" << YAML::Value << YAML::BeginMap;
    for (const auto& [lang, c] : it.content) {
      if (c.stem.empty() && c.options.empty()) continue;
      out << YAML::Key << lang << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "stem" << YAML::Value;
      str(out, c.stem);
      if (!c.options.empty()) {
        out << YAML::Key << "options" << YAML::Value;
        string_list(out, c.options);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  if (it.key) out << YAML::Key << "key" << YAML::Value << *it.key;
  if (any_scoring) {
    out << YAML::Key << "scoring" << YAML::Value << YAML::BeginMap;
    for (const auto& [lang, c] : it.content) {
      if (c.scoring.empty()) continue;
      out << YAML::Key << lang << YAML::Value;
      string_list(out, c.scoring);
    }
    out << YAML::EndMap;
  }
  if (!it.media.empty()) {
    out << YAML::Key << "media" << YAML::Value << YAML::BeginSeq;
    for (const auto& m : it.media) {
      out << YAML::Flow << YAML::BeginMap;
      if (!m.type.empty()) {
        out << YAML::Key << "type" << YAML::Value;
        str(out, m.type);
      }
      out << YAML::Key << "uri" << YAML::Value;
      str(out, m.uri);
      if (!m.alt.empty()) {
        out << YAML::Key << "alt" << YAML::Value;
        localized(out, m.alt);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!it.enemies.empty()) {
    out << YAML::Key << "enemies" << YAML::Value;
    string_list(out, it.enemies);
  }
  if (it.exposure_control != 1.0) {
    out << YAML::Key << "exposure" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "sh" << YAML::Value;
    num(out, it.exposure_control);
    out << YAML::EndMap;
  }
  if (!it.tags.empty()) {
    out << YAML::Key << "tags" << YAML::Value;
    string_list(out, it.tags);
  }
  if (!it.meta.empty()) {
    out << YAML::Key << "meta" << YAML::Value;
    meta(out, it.meta);
  }
  out << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const item_bank& bank) {
  const bank_info& info = bank.info();
  const double D = info.scaling;
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  out << YAML::Key << "dskill" << YAML::Value << 1;
  out << YAML::Key << "bank" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value;
  str(out, info.id);
  if (!info.titles.empty()) {
    out << YAML::Key << "title" << YAML::Value;
    localized(out, info.titles);
  } else if (!info.title.empty()) {
    out << YAML::Key << "title" << YAML::Value;
    str(out, info.title);
  }
  if (!info.version.empty()) {
    out << YAML::Key << "version" << YAML::Value;
    str(out, info.version);
  }
  if (!info.framework_id.empty()) {
    out << YAML::Key << "framework" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value;
    str(out, info.framework_id);
    if (!info.framework_version.empty()) {
      out << YAML::Key << "version" << YAML::Value;
      str(out, info.framework_version);
    }
    out << YAML::EndMap;
  }
  if (!info.languages.empty()) {
    out << YAML::Key << "languages" << YAML::Value;
    string_list(out, info.languages);
  }
  out << YAML::Key << "scale" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "D" << YAML::Value;
  num(out, D);
  out << YAML::Key << "form" << YAML::Value << "difficulty" << YAML::EndMap;
  if (!info.dimensions.empty()) {
    const std::size_t dims = info.dimensions.size();
    out << YAML::Key << "dimensions" << YAML::Value << YAML::BeginSeq;
    for (const auto& d : info.dimensions) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value;
      str(out, d.id);
      if (!d.area.empty()) {
        out << YAML::Key << "area" << YAML::Value;
        str(out, d.area);
      }
      if (d.role != dimension_role::area) out << YAML::Key << "role" << YAML::Value << std::string(to_string(d.role));
      if (!d.titles.empty()) {
        out << YAML::Key << "title" << YAML::Value;
        localized(out, d.titles);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "latent" << YAML::Value << YAML::BeginMap;
    if (std::any_of(info.latent_mean.begin(), info.latent_mean.end(), [](double m) { return m != 0.0; })) {
      out << YAML::Key << "mean" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (double m : info.latent_mean) num(out, m);
      out << YAML::EndSeq;
    }
    // A correlation matrix is written as one when the file gave one and it still is one.
    bool unit_diagonal = true;
    for (std::size_t d = 0; d < dims; ++d) unit_diagonal = unit_diagonal && info.latent_covariance[d * dims + d] == 1.0;
    out << YAML::Key << (info.latent_as_correlation && unit_diagonal ? "correlation" : "covariance") << YAML::Value
        << YAML::BeginSeq;
    for (std::size_t r = 0; r < dims; ++r) {
      out << YAML::Flow << YAML::BeginSeq;
      for (std::size_t c = 0; c < dims; ++c) num(out, info.latent_covariance[r * dims + c]);
      out << YAML::EndSeq;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  if (!info.provenance.empty()) {
    const auto& p = info.provenance;
    out << YAML::Key << "provenance" << YAML::Value << YAML::BeginMap;
    if (!p.method.empty()) {
      out << YAML::Key << "method" << YAML::Value;
      str(out, p.method);
    }
    if (p.sample) out << YAML::Key << "sample" << YAML::Value << *p.sample;
    if (!p.date.empty()) {
      out << YAML::Key << "date" << YAML::Value;
      str(out, p.date);
    }
    if (!p.data.empty()) out << YAML::Key << "data" << YAML::Value << p.data;
    if (!p.note.empty()) {
      out << YAML::Key << "note" << YAML::Value;
      str(out, p.note);
    }
    out << YAML::EndMap;
  }
  if (!info.meta.empty()) {
    out << YAML::Key << "meta" << YAML::Value;
    meta(out, info.meta);
  }
  out << YAML::EndMap;
  out << YAML::Key << "items" << YAML::Value << YAML::BeginSeq;
  for (const auto& it : bank.items()) item(out, it, info.dimensions, D);
  out << YAML::EndSeq << YAML::EndMap;
  if (!out.good()) throw error(errc::internal, "YAML emitter: " + out.GetLastError());
  std::string text = out.c_str();
  text += '\n';
  return text;
}

void save_bank(const item_bank& bank, std::ostream& out) {
  out << to_yaml(bank);
  if (!out) throw io_error("cannot write the bank");
}

void save_bank(const item_bank& bank, const std::string& path) {
  io::write_file_atomically(path, to_yaml(bank));
}

}  // namespace bank
DSKILL_END_NAMESPACE
