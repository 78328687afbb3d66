#include "checkpoint.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "dskill/core/hash.hpp"
#include "dskill/error.hpp"
#include "dskill/io/atomic_file.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/output_file.hpp"
#include "dskill/version.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

using json = nlohmann::json;

namespace {

json stats_state(const classification_stats& s) {
  return {{"n", s.n}, {"accuracy_sum", s.accuracy_sum}, {"consistency_sum", s.consistency_sum}, {"level_counts", s.level_counts}};
}

void restore_stats(classification_stats& s, const json& j) {
  s.n = j.at("n").get<std::uint64_t>();
  s.accuracy_sum = j.at("accuracy_sum").get<double>();
  s.consistency_sum = j.at("consistency_sum").get<double>();
  s.level_counts = j.at("level_counts").get<std::vector<std::uint64_t>>();
}

std::optional<std::uint64_t> optional_size(const json& ck, const char* key) {
  if (!ck.contains(key) || ck[key].is_null()) return std::nullopt;
  return ck[key].get<std::uint64_t>();
}

// The level scheme's part of the fingerprint: a framework with other cuts or rules is another
// command.
std::string levels_fingerprint(const level_scheme& L) {
  std::string c = L.framework_id + "|" + L.framework_version + "|";
  for (double x : L.overall_cuts) c += fmt::format("{:.17g},", x);
  for (const auto& a : L.areas) {
    c += a.id + ":";
    for (double x : a.cuts) c += fmt::format("{:.17g},", x);
  }
  for (const auto& r : L.rules) {
    c += r.id + ";";
    if (r.min_probability) c += fmt::format("p>={:.17g};", *r.min_probability);  // absent: as before
  }
  return c;
}

}  // namespace

std::string command_fingerprint(const scorer& s, const batch_options& o, const std::string& rejects_path) {
  const auto& e = s.options();
  // v2: the score rows' provenance columns became optional (and part of the command).
  std::string c = "dskill-score-checkpoint-v2\n";
  c += s.bank().fingerprint() + "\n";
  if (const auto& L = s.levels()) c += levels_fingerprint(*L);
  const auto in_size = io::file_size(o.responses).value_or(static_cast<std::uint64_t>(-1));
  c += fmt::format("\n{}|{}|{}\n", io::absolute_path(o.responses), in_size, io::to_string(o.format));
  c += fmt::format("{}|{}|{:.17g}|{:.17g}|{:.17g}:{:.17g}:{}|{}|{:.17g}|{:.17g}|{}|{}|{:.17g}|{}\n",
                   estimate::to_string(e.estimator), static_cast<int>(e.prior_.kind), e.prior_.mean, e.prior_.sd,
                   e.grid.lo, e.grid.hi, e.grid.n, static_cast<int>(e.rule), e.lower_bound, e.upper_bound,
                   static_cast<int>(e.se_information), static_cast<int>(e.wle), e.tolerance, e.max_iterations);
  for (double w : e.prior_.weights) c += fmt::format("{:.17g},", w);
  c += fmt::format("\n{}|{}|{}|{}|{}|{}\n", io::absolute_path(o.out), static_cast<int>(o.out_format), rejects_path,
                   o.credentials_dir, o.credentials.issuer_id, o.credentials.issuer_name);
  if (o.credentials.key) c += o.credentials.key->did_key();
  c += o.check_duplicates ? "|dup" : "|nodup";
  c += o.provenance_columns ? "|provenance" : "|noprovenance";  // one row format per file
  c += o.credentials_bundle ? fmt::format("|bundle:{}", o.credentials_shard_rows) : "|files";
  c += fmt::format("|{}|{}|{}|{}|{}", to_string(o.credentials.suite), o.credentials.language, o.credentials.valid_until,
                   o.credentials.public_url, o.credentials.status_purpose);
  if (s.profiled()) {  // the profile estimator (absent for the scoring of earlier versions)
    const auto& p = s.profile_options();
    c += fmt::format("|profile:{}|{:.17g}:{:.17g}:{}|{:.17g}:{:.17g}|{}|{}|{}|{}", estimate::to_string(p.estimator), p.grid_lo,
                     p.grid_hi, p.grid_points, p.lower_bound, p.upper_bound, static_cast<int>(p.se_information),
                     estimate::to_string(p.integration), p.qmc_points, p.qmc_seed);
    for (Eigen::Index i = 0; i < p.prior.mean.size(); ++i) c += fmt::format(",{:.17g}", p.prior.mean[i]);
    for (Eigen::Index i = 0; i < p.prior.covariance.size(); ++i) c += fmt::format(",{:.17g}", p.prior.covariance.data()[i]);
  }
  return core::sha256_hex(c);
}

checkpoint read_checkpoint(const std::string& path, const std::string& fingerprint, batch_summary& sum) {
  json ck;
  try {
    ck = json::parse(io::read_file_text(path));
  } catch (const std::exception& e) {
    throw state_error(fmt::format("{}: unreadable checkpoint ({}); remove it to start over", path, e.what()));
  }
  if (ck.value("command_fingerprint", "") != fingerprint)
    throw state_error(fmt::format("{}: the checkpoint belongs to a different command (bank, framework, input file or "
                                  "options differ); rerun the original command to resume, or remove it to start over",
                                  path));
  checkpoint c;
  try {
    c.rows_done = ck.at("rows_done").get<std::uint64_t>();
    c.out_bytes = ck.at("out_bytes").get<std::uint64_t>();
    c.rejects_bytes = optional_size(ck, "rejects_bytes");
    c.bundle_bytes = optional_size(ck, "bundle_bytes");
    c.bundle_shard = ck.at("bundle_shard").get<std::uint64_t>();
    sum.persons_scored = ck.at("persons_scored").get<std::uint64_t>();
    sum.rows_rejected = ck.at("rows_rejected").get<std::uint64_t>();
    sum.certified = ck.at("certified").get<std::uint64_t>();
    sum.credentials_issued = ck.at("credentials_issued").get<std::uint64_t>();
    sum.rejects_by_kind = ck.at("rejects_by_kind").get<std::map<std::string, std::uint64_t>>();
    restore_stats(sum.overall, ck.at("overall"));
    for (std::size_t a = 0; a < sum.areas.size(); ++a) restore_stats(sum.areas[a], ck.at("areas").at(a));
    c.issued_at = ck.at("issued_at").get<std::string>();
    c.identity_key_id = ck.at("identity_key_id").get<std::string>();
  } catch (const std::exception& e) {
    throw state_error(fmt::format("{}: damaged checkpoint ({}); remove it to start over", path, e.what()));
  }
  sum.resumed = true;
  sum.resumed_from_row = c.rows_done;
  return c;
}

void write_checkpoint(const std::string& path, const std::string& fingerprint, const checkpoint& c,
                      const batch_summary& sum) {
  auto size = [](const std::optional<std::uint64_t>& n) { return n ? json(*n) : json(nullptr); };
  json ck = {{"dskill_version", std::string(dskill::version())},
             {"command_fingerprint", fingerprint},
             {"rows_done", c.rows_done},
             {"out_bytes", c.out_bytes},
             {"rejects_bytes", size(c.rejects_bytes)},
             {"bundle_bytes", size(c.bundle_bytes)},
             {"bundle_shard", c.bundle_shard},
             {"persons_scored", sum.persons_scored},
             {"rows_rejected", sum.rows_rejected},
             {"certified", sum.certified},
             {"credentials_issued", sum.credentials_issued},
             {"rejects_by_kind", sum.rejects_by_kind},
             {"overall", stats_state(sum.overall)},
             {"areas", json::array()},
             {"issued_at", c.issued_at},
             {"identity_key_id", c.identity_key_id}};
  for (const auto& a : sum.areas) ck["areas"].push_back(stats_state(a));
  io::write_file_atomically(path, ck.dump(1));
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
