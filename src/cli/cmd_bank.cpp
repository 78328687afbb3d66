// `dskill bank merge`: new parameters (a calibration's bank) into an existing bank, keeping the
// bank's content and the items' parameter history. A thin face over calibrate::merge_parameters.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/calibrate/bank_output.hpp"
#include "dskill/error.hpp"

namespace dskill::cli {
namespace {

struct merge_args {
  std::string bank, params, out, status = "pretest", date;
  bool add_new = false;
};

int run_merge(const merge_args& a) {
  const auto base = bank::load_bank(a.bank);
  const auto cal = bank::load_bank(a.params);
  bank::item_status status;
  if (a.status == "pretest") status = bank::item_status::pretest;
  else if (a.status == "operational") status = bank::item_status::operational;
  else throw invalid_argument(fmt::format("--status: '{}' (pretest or operational)", a.status));
  calibrate::merge_report r;
  const auto merged = calibrate::merge_parameters(*base, *cal, a.add_new, status, a.date, &r);
  if (r.updated == 0 && r.added == 0)
    throw invalid_argument(fmt::format("{} has no item of {} (ids differ?) and --add-new is not given", a.params, a.bank));
  bank::save_bank(merged, a.out);
  if (r.not_in_base)
    fmt::print(stderr, "dskill bank merge: warning: {} items of {} are not in {} and were left out (--add-new adds them)\n",
               r.not_in_base, a.params, a.bank);
  nlohmann::json j{{"bank", a.out},      {"updated", r.updated},         {"added", r.added},
                   {"left_out", r.not_in_base}, {"unchanged", r.unchanged}, {"fingerprint", merged.fingerprint()}};
  write_stdout(j.dump(2) + "\n");
  return exit_ok;
}

const bool registered = register_command({
    "bank",
    "Maintain banks: merge new parameters into a bank (bank merge)",
    [](CLI::App& app) -> std::function<int()> {
      app.require_subcommand(1);
      auto a = std::make_shared<merge_args>();
      auto* merge = app.add_subcommand("merge", "Put a calibration's parameters into a bank, keeping its content and history");
      merge->add_option("--bank", a->bank, "the bank to update (content, competences, levels are kept)")->required();
      merge->add_option("--params", a->params, "a bank with the new parameters (dskill calibrate --out, or link --out)")->required();
      merge->add_option("--out", a->out, "write the merged bank here")->required();
      merge->add_flag("--add-new", a->add_new, "append items of --params that --bank lacks");
      merge->add_option("--status", a->status, "status of appended items: pretest or operational")->capture_default_str();
      merge->add_option("--date", a->date, "date recorded in the items' history (default: today, UTC)");
      merge->footer("Prints a JSON summary (updated, added, left out, unchanged, fingerprint).\n"
                    "Exit status: 0 success, 1 bad input, 2 bad usage.");
      return [a] { return run_merge(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
