#include "writers.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dskill/io/atomic_file.hpp"
#include "dskill/io/output_file.hpp"
#include "dskill/version.hpp"
#include "format.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

using json = nlohmann::json;

namespace {
constexpr std::size_t no_dimension = static_cast<std::size_t>(-1);  // scorer::area_dimension's npos
}  // namespace

// ---- scores -------------------------------------------------------------------------------

record_writer::record_writer(const scorer& s, output_format format, bool with_credentials, bool provenance_columns)
    : scorer_(s),
      levels_(s.levels().get()),
      profiled_(s.profiled()),
      certified_levels_(levels_ && levels_->has_min_probability()),
      format_(format),
      with_credentials_(with_credentials),
      provenance_columns_(provenance_columns),
      fingerprint_(s.bank().fingerprint()),
      version_(dskill::version()) {}

void record_writer::append(const io::session_record& rec, const person_result& r, std::string_view credential,
                           std::string& out) const {
  if (format_ == output_format::csv) append_csv(rec, r, credential, out);
  else append_jsonl(rec, r, credential, out);
}

void record_writer::append_csv(const io::session_record& rec, const person_result& r, std::string_view credential,
                               std::string& buf) const {
  put_csv_field(buf, rec.person_id);
  buf += ',';
  put_number(buf, r.overall.theta);
  buf += ',';
  put_number(buf, r.overall.se);
  fmt::format_to(std::back_inserter(buf), ",{},{:g},{:g}", r.n_answered, r.raw_score, r.max_score);
  if (profiled_)
    for (Eigen::Index d = 0; d < r.profile.theta.size(); ++d) {
      buf += ',';
      put_number(buf, r.profile.theta[d]);
      buf += ',';
      put_number(buf, r.profile.se[d]);
    }
  if (const auto* L = levels_) {
    for (std::size_t a = 0; a < L->areas.size(); ++a) {
      const auto& ar = r.areas[a];
      const bool on_profile = profiled_ && scorer_.area_dimension()[a] != no_dimension;
      if (!on_profile) {  // profile areas have their theta and SE in the dimension's columns
        buf += ',';
        if (ar.n_answered) put_number(buf, ar.est.theta);
        buf += ',';
        if (ar.n_answered) put_number(buf, ar.est.se);
      }
      buf += ',';
      if (ar.level) fmt::format_to(std::back_inserter(buf), "{}", ar.level);
      if (profiled_) {
        buf += ',';
        if (ar.level) put_number(buf, ar.p_assigned);
      }
    }
    buf += ',';
    if (r.level) fmt::format_to(std::back_inserter(buf), "{}", r.level);
    buf += r.certified() ? ",true," : ",false,";
    if (r.rule) put_csv_field(buf, L->rules[*r.rule].id);
    if (certified_levels_) {
      for (std::size_t a = 0; a < L->areas.size(); ++a) {
        buf += ',';
        if (r.certified() && r.areas[a].certified_level)
          fmt::format_to(std::back_inserter(buf), "{}", r.areas[a].certified_level);
      }
      buf += ',';
      if (r.certified() && r.certified_level) fmt::format_to(std::back_inserter(buf), "{}", r.certified_level);
    }
    if (with_credentials_) {
      buf += ',';
      buf += credential;
    }
  }
  buf += ',';
  buf += estimate::to_string(profiled_ ? r.profile.state : r.overall.state);
  if (provenance_columns_) {
    buf += ',';
    buf += fingerprint_;
    buf += ',';
    buf += version_;
  }
  buf += '\n';
}

void record_writer::append_jsonl(const io::session_record& rec, const person_result& r, std::string_view credential,
                                 std::string& buf) const {
  auto level = [&](int l) {
    if (l) fmt::format_to(std::back_inserter(buf), ",\"level\":{}", l);
    else buf += ",\"level\":null";
  };
  fmt::format_to(std::back_inserter(buf), "{{\"row\":{},\"person_id\":", rec.row);
  put_json_string(buf, rec.person_id);
  buf += ",\"theta\":";
  put_json_number(buf, r.overall.theta);
  buf += ",\"se\":";
  put_json_number(buf, r.overall.se);
  fmt::format_to(std::back_inserter(buf), ",\"n_answered\":{},\"raw_score\":{:g},\"max_score\":{:g},\"status\":\"{}\"",
                 r.n_answered, r.raw_score, r.max_score,
                 estimate::to_string(profiled_ ? r.profile.state : r.overall.state));
  if (profiled_) {
    buf += ",\"dimensions\":{";
    const auto& dims = scorer_.bank().info().dimensions;
    for (std::size_t d = 0; d < dims.size() && d < static_cast<std::size_t>(r.profile.theta.size()); ++d) {
      if (d) buf += ',';
      put_json_string(buf, dims[d].id);
      buf += ":{\"theta\":";
      put_json_number(buf, r.profile.theta[static_cast<Eigen::Index>(d)]);
      buf += ",\"se\":";
      put_json_number(buf, r.profile.se[static_cast<Eigen::Index>(d)]);
      buf += '}';
    }
    buf += '}';
  }
  if (const auto* L = levels_) {
    buf += ",\"areas\":{";
    for (std::size_t a = 0; a < L->areas.size(); ++a) {
      const auto& ar = r.areas[a];
      const bool on_profile = profiled_ && scorer_.area_dimension()[a] != no_dimension;
      if (a) buf += ',';
      put_json_string(buf, L->areas[a].id);
      buf += ":{\"theta\":";
      put_json_number(buf, ar.n_answered || (on_profile && ar.level) ? ar.est.theta : NAN);
      buf += ",\"se\":";
      put_json_number(buf, ar.n_answered || (on_profile && ar.level) ? ar.est.se : NAN);
      level(ar.level);
      if (profiled_) {
        buf += ",\"p_level\":";
        put_json_number(buf, ar.level ? ar.p_assigned : NAN);
        buf += ",\"p_levels\":[";
        for (std::size_t k = 0; k < ar.p_levels.size(); ++k) {
          if (k) buf += ',';
          put_json_number(buf, ar.p_levels[k]);
        }
        buf += ']';
      }
      if (certified_levels_) {
        if (r.certified() && ar.certified_level)
          fmt::format_to(std::back_inserter(buf), ",\"certified_level\":{}", ar.certified_level);
        else
          buf += ",\"certified_level\":null";
      }
      fmt::format_to(std::back_inserter(buf), ",\"n_answered\":{}}}", ar.n_answered);
    }
    buf += '}';
    level(r.level);
    buf += r.certified() ? ",\"certified\":true,\"certified_by\":" : ",\"certified\":false,\"certified_by\":null";
    if (r.rule) put_json_string(buf, L->rules[*r.rule].id);
    if (certified_levels_) {
      if (r.certified() && r.certified_level)
        fmt::format_to(std::back_inserter(buf), ",\"certified_level\":{}", r.certified_level);
      else
        buf += ",\"certified_level\":null";
    }
    if (with_credentials_) {
      buf += ",\"credential\":";
      if (credential.empty()) buf += "null";
      else put_json_string(buf, credential);
    }
  }
  if (provenance_columns_)
    fmt::format_to(std::back_inserter(buf), ",\"bank_fingerprint\":\"{}\",\"dskill_version\":\"{}\"", fingerprint_,
                   version_);
  buf += "}\n";
}

// ---- rejects ------------------------------------------------------------------------------

void append_reject(const io::session_record& rec, std::string& out) {
  fmt::format_to(std::back_inserter(out), "{},{},", rec.row, rec.line);
  put_csv_field(out, rec.person_id);
  out += ',';
  put_csv_field(out, rec.error);
  out += '\n';
}

void print_reject(const std::string& file, const io::session_record& rec) {
  fmt::print(stderr, "dskill: {}:{}: row {}: person '{}': {}\n", file, rec.line, rec.row, rec.person_id, rec.error);
}

// ---- credentials --------------------------------------------------------------------------

credential_writer::credential_writer(const credential_context& ctx, std::string dir, bool bundle)
    : ctx_(ctx), dir_(std::move(dir)), bundle_(bundle) {
  io::create_directories(dir_, "the credentials directory");
}

std::string credential_writer::shard_path(std::uint64_t n) const {
  return (std::filesystem::path(dir_) / fmt::format("credentials-{:05}.jsonl.gz", n)).string();
}

std::vector<std::string> credential_writer::shard_paths() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    const auto name = e.path().filename().string();
    if (name.starts_with("credentials-") && name.ends_with(".jsonl.gz")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string credential_writer::issue(std::string_view person_id, const person_result& r, std::uint64_t status_index,
                                     std::string* bundle_out) const {
  auto cred = make_credential(ctx_, person_id, r, status_index);
  if (bundle_) {
    *bundle_out += cred.json;
    *bundle_out += '\n';
    return std::move(cred.id);
  }
  std::string name = cred.id.substr(9) + ".json";  // the id is "urn:uuid:<uuid>"
  cred.json += '\n';
  // No fsync: a crash loses at most the credentials since the last checkpoint, which a resumed
  // run issues again (millions of synced small files would dominate a national run).
  io::write_file_atomically((std::filesystem::path(dir_) / name).string(), cred.json, {.sync = false});
  return name;
}

// ---- summary ------------------------------------------------------------------------------

void tally(batch_summary& sum, const level_scheme* levels, const person_result& r, bool credential_issued) {
  ++sum.persons_scored;
  if (!levels) return;
  sum.overall.add(r.level, r.p_assigned, r.p_squared);
  for (std::size_t a = 0; a < levels->areas.size(); ++a)
    sum.areas[a].add(r.areas[a].level, r.areas[a].p_assigned, r.areas[a].p_squared);
  if (r.certified()) ++sum.certified;
  if (credential_issued) ++sum.credentials_issued;
}

namespace {

json stats_json(const classification_stats& s) {
  json counts = json::object();
  for (std::size_t l = 0; l < s.level_counts.size(); ++l)
    if (s.level_counts[l]) counts[l == 0 ? "unclassified" : std::to_string(l)] = s.level_counts[l];
  return {{"n", s.n}, {"accuracy", s.accuracy()}, {"consistency", s.consistency()}, {"level_counts", counts}};
}

std::string_view row_definition(io::response_format f) {
  switch (f) {
    case io::response_format::wide: return "one data line after the header";
    case io::response_format::jsonl: return "one non-blank line (one JSON object)";
    case io::response_format::long_csv: break;
  }
  return "one block of consecutive lines with the same person_id";
}

json outputs_json(const batch_options& o, const std::string& rejects_path) {
  json credentials = nullptr;
  if (!o.credentials_dir.empty())
    credentials = o.credentials_bundle ? json((std::filesystem::path(o.credentials_dir) / "credentials-*.jsonl.gz").string())
                                       : json(o.credentials_dir);
  return {{"scores", o.out.empty() ? "-" : o.out},
          {"scores_provenance_columns", o.provenance_columns},
          {"rejects", rejects_path.empty() ? "-" : rejects_path},
          {"credentials", credentials}};
}

void add_classification(json& j, const scorer& s, const level_scheme& L, const batch_summary& sum) {
  json areas = json::object();
  for (std::size_t a = 0; a < L.areas.size(); ++a) {
    areas[L.areas[a].id] = stats_json(sum.areas[a]);
    if (s.profiled()) {
      const auto d = s.area_dimension()[a];
      areas[L.areas[a].id]["dimension"] = d == no_dimension ? json(nullptr) : json(s.bank().info().dimensions[d].id);
      areas[L.areas[a].id]["probabilities"] = d == no_dimension ? "normal" : std::string(to_string(s.marginals()));
    }
  }
  j["certified"] = sum.certified;
  j["credentials_issued"] = sum.credentials_issued;
  j["classification"] = {{"method", "Rudner (2001, 2005): true theta ~ N(theta-hat, SE^2); accuracy = mean P(assigned "
                                    "level), consistency = mean sum_k P(level k)^2"},
                         {"overall", stats_json(sum.overall)},
                         {"areas", areas}};
  if (s.profiled())
    j["classification"]["method"] =
        s.marginals() == marginal_kind::grid
            ? "Rudner, multivariate form: per area, P(level k) from the marginal posterior of the area's dimension "
              "(exact on the EAP grid: the posterior summed over the other dimensions); accuracy = mean P(assigned "
              "level), consistency = mean sum_k P(level k)^2; areas without a dimension: N(theta-hat, SE^2)"
            : "Rudner, multivariate form: per area, P(level k) from the normal approximation N(theta_d, cov_dd) of the "
              "profile estimate's marginal; accuracy = mean P(assigned level), consistency = mean sum_k P(level k)^2; "
              "areas without a dimension: N(theta-hat, SE^2)";
  if (L.has_min_probability()) {
    json rules = json::array();
    for (const auto& r : L.rules)
      rules.push_back({{"id", r.id}, {"min_probability", r.min_probability ? json(*r.min_probability) : json(nullptr)}});
    j["certification_rules"] = rules;
  }
}

json profile_json(const scorer& s) {
  const auto& po = s.profile_options();
  json dims = json::array();
  for (const auto& d : s.bank().info().dimensions)
    dims.push_back({{"id", d.id}, {"area", d.area.empty() ? json(nullptr) : json(d.area)},
                    {"role", std::string(bank::to_string(d.role))}});
  const bool eap = po.estimator == estimate::profile_method::eap;
  return {{"method", std::string(estimate::to_string(po.estimator))},
          {"integration", eap ? json(std::string(estimate::to_string(s.profile_integration()))) : json(nullptr)},
          {"prior", "the bank's latent mean and covariance"},
          {"dimensions", dims},
          {"level_probabilities", std::string(to_string(s.marginals()))},
          {"level_probabilities_method",
           s.marginals() == marginal_kind::grid
               ? "exact marginal of the EAP grid posterior (summed over the other dimensions)"
               : "normal approximation N(theta_d, covariance_dd) of the profile estimate"}};
}

}  // namespace

std::string summary_json(const scorer& s, const batch_options& o, const batch_summary& sum, const std::string& rejects_path,
                         unsigned threads) {
  const auto& bank = s.bank();
  const auto& L = s.levels();
  json j = {{"dskill_version", std::string(dskill::version())},
            {"bank", {{"id", bank.info().id}, {"fingerprint", bank.fingerprint()}, {"items", bank.size()}}},
            {"framework", L ? json{{"id", L->framework_id}, {"version", L->framework_version}} : json(nullptr)},
            {"responses", o.responses},
            {"format", std::string(io::to_string(o.format))},
            {"row_definition", std::string(row_definition(o.format))},
            {"method", std::string(estimate::to_string(s.options().estimator))},
            {"rows_read", sum.rows_read},
            {"persons_scored", sum.persons_scored},
            {"rows_rejected", sum.rows_rejected},
            {"reconciles", sum.reconciles()},
            {"rejects_by_kind", sum.rejects_by_kind},
            {"blank_lines_skipped", sum.blank_lines},
            {"lines_read", sum.lines_read},
            {"stream_problems", sum.stream_problems},
            {"resumed", sum.resumed},
            {"resumed_from_row", sum.resumed_from_row},
            {"outputs", outputs_json(o, rejects_path)},
            {"person_ids", {{"written_as", sum.pseudonymised ? "pseudonym" : "clear"},
                            {"pseudonym", sum.pseudonymised ? "hmac-sha256:<hex of HMAC-SHA-256(identity secret, "
                                                              "\"dskill-person-v1|\" + person_id), 16 bytes>"
                                                            : ""},
                            {"identity_key_id", sum.identity_key_id}}},
            {"threads", threads},
            {"elapsed_seconds", sum.seconds},
            {"command", o.command}};
  if (s.profiled()) j["profile"] = profile_json(s);
  if (L) add_classification(j, s, *L, sum);
  return j.dump(2);
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
