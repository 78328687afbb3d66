// dskill replay: runs a recorded adaptive test again from its session snapshot (seed, answers,
// items given from outside, and the exposure state each step read) and checks that every step
// gives the recorded item and estimate. Prints each step as CSV or JSON; exit 1 at a difference.
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/cat/replay.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"

namespace dskill::cli {
namespace {

struct replay_options {
  std::string bank, spec, session, snapshot_key, format = "csv";
  double tolerance = 1e-9;
};

using json = nlohmann::ordered_json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string id_or_empty(const bank::item_bank& bank, std::optional<std::uint32_t> item) {
  return item ? std::string(bank.id(*item)) : std::string();
}

std::string csv_of(const bank::item_bank& bank, const cat::replay_result& r) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "step,origin,item,answer,theta,se,recorded_item,recorded_theta,recorded_se,match\n");
  for (const auto& s : r.steps) {
    fmt::format_to(std::back_inserter(out), "{},{},{},", s.number, cat::to_string(s.origin), id_or_empty(bank, s.item));
    // The pending item has no answer yet, and a step whose item differs is not answered.
    if (s.answered && s.item == s.recorded_item) fmt::format_to(std::back_inserter(out), "{},{},{},", s.category, s.theta, s.se);
    else fmt::format_to(std::back_inserter(out), ",,,");
    fmt::format_to(std::back_inserter(out), "{},", bank.id(s.recorded_item));
    if (s.answered) fmt::format_to(std::back_inserter(out), "{},{},", s.recorded_theta, s.recorded_se);
    else fmt::format_to(std::back_inserter(out), ",,");
    fmt::format_to(std::back_inserter(out), "{}\n", s.matches ? 1 : 0);
  }
  return {out.data(), out.size()};
}

std::string json_of(const bank::item_bank& bank, const cat::session_record& rec, const cat::replay_result& r) {
  json j;
  j["bank"] = {{"id", bank.info().id}, {"fingerprint", bank.fingerprint()}};
  j["spec_hash"] = rec.spec_hash;
  j["seed"] = rec.seed;
  auto steps = json::array();
  for (const auto& s : r.steps) {
    json x;
    x["step"] = s.number;
    x["origin"] = cat::to_string(s.origin);
    x["item"] = s.item ? json(bank.id(*s.item)) : json(nullptr);
    const bool given = s.answered && s.item == s.recorded_item;
    x["answer"] = given ? json(s.category) : json(nullptr);
    x["theta"] = given ? number(s.theta) : json(nullptr);
    x["se"] = given ? number(s.se) : json(nullptr);
    x["recorded"] = {{"item", bank.id(s.recorded_item)},
                     {"answer", s.answered ? json(s.category) : json(nullptr)},
                     {"theta", s.answered ? number(s.recorded_theta) : json(nullptr)},
                     {"se", s.answered ? number(s.recorded_se) : json(nullptr)}};
    x["match"] = s.matches;
    steps.push_back(x);
  }
  j["steps"] = steps;
  j["reason"] = cat::to_string(r.reason);
  j["recorded_reason"] = cat::to_string(r.recorded_reason);
  j["matches"] = r.matches();
  j["first_difference"] = r.first_difference ? json(*r.first_difference + 1) : json(nullptr);
  j["difference"] = r.difference;
  return j.dump(2) + "\n";
}

int run_replay(const replay_options& o) {
  if (o.format != "csv" && o.format != "json") throw invalid_argument(fmt::format("--format must be csv or json, not '{}'", o.format));
  if (!(o.tolerance >= 0)) throw invalid_argument(fmt::format("--tolerance must be 0 or more, not {}", o.tolerance));
  const auto bank = bank::load_bank(o.bank);
  location where;
  where.file = o.session;
  cat::session_record rec;
  try {
    const std::string text = io::read_file_text(o.session);
    std::vector<std::uint8_t> bytes(text.begin(), text.end());
    // A sealed snapshot (what leaves a server) opens with the server's key only.
    if (core::is_sealed(bytes)) {
      if (o.snapshot_key.empty())
        throw serialization_error("the snapshot is sealed: give the server's key with --snapshot-key FILE");
      const auto key = core::secret_key::from_hex(io::read_file_text(o.snapshot_key));
      bytes = cat::open_sealed_snapshot(bytes, key);
    } else if (!o.snapshot_key.empty()) {
      throw serialization_error("--snapshot-key given, but the snapshot is not sealed");
    }
    rec = cat::read_snapshot(bytes);
  } catch (const serialization_error& e) {
    throw parse_error(e.detail(), where);
  }
  // Without --spec, the specification the record carries (as restore does).
  cat::test_spec spec;
  if (!o.spec.empty()) {
    spec = cat::load_test_spec(o.spec);
  } else {
    try {
      spec = cat::parse_test_spec(rec.spec_yaml, o.session);
    } catch (const error& e) {
      throw parse_error(fmt::format("its test specification is invalid: {}", e.detail()), where);
    }
  }
  cat::replay_result r;
  try {
    r = cat::replay(cat::engine::create(bank, spec), rec, o.tolerance);
  } catch (const invalid_argument& e) {
    throw invalid_argument(e.detail(), where);  // a record that does not fit is bad input, not usage
  }
  write_stdout(o.format == "json" ? json_of(*bank, rec, r) : csv_of(*bank, r));
  if (r.matches()) return exit_ok;
  if (*r.first_difference < r.steps.size())
    fmt::print(stderr, "dskill: replay differs from the record: {}\n", r.difference);
  else
    fmt::print(stderr, "dskill: replay differs from the record after its last step: {}\n", r.difference);
  return exit_bad_input;
}

[[maybe_unused]] const bool registered = register_command({
    "replay",
    "Run a recorded adaptive test again from its session snapshot and check every step",
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<replay_options>();
      app.add_option("--bank", o->bank, "Item bank (YAML) the test ran on")->required();
      app.add_option("--spec", o->spec, "Test specification (YAML); default: the one the snapshot carries");
      app.add_option("--session", o->session, "Session snapshot (session.snapshot(), Session.snapshot(), dsk_session_snapshot)")
          ->required();
      app.add_option("--snapshot-key", o->snapshot_key, "File with the 32-byte key (hex) a sealed snapshot was sealed with");
      app.add_option("--format", o->format, "Output: csv (default) or json");
      app.add_option("--tolerance", o->tolerance,
                     "Largest difference of theta and se that still matches, relative above 1 (default 1e-9; 0: bit for bit)");
      app.footer(
          "Replays the test from the snapshot's seed and answers, administering again the items given from "
          "outside and reading the exposure state each step recorded instead of live counts. Prints one row "
          "per step: step, origin, item, answer, theta, se, the recorded item, theta and se, and match (1 when "
          "the item is the recorded one and theta and se are within --tolerance of the recorded ones). The record's pending item is the last row, without "
          "an answer.\n"
          "Exit status: 0 every step matches the record, 1 a step differs (named on standard error) or bad "
          "input (another bank or specification, a corrupted snapshot), 2 bad usage.");
      return [o] { return run_replay(*o); };
    },
});

}  // namespace
}  // namespace dskill::cli
