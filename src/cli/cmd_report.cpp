// `dskill report`: self-contained HTML reports with inline SVG plots (or the numbers as JSON)
// of a bank, a calibration, a CAT simulation or a scoring run. A thin face over dskill::report:
// this file opens the files, the library builds the reports.
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/io/atomic_file.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/report/report.hpp"

namespace dskill::cli {
namespace {

struct report_args {
  std::string out = "-", format = "html", title, language = "en";
  // bank
  std::string bank, framework, items, theta = "-4:4:0.05", statuses = "operational";
  std::size_t icc_count = 8;
  // calibration
  std::string fit, log, calib_summary;
  double alpha = 0.01;
  // simulation
  std::string results, sim_summary, sim_bank;
  double band_width = 0.5;
  // scores
  std::string scores, score_summary;
  double bin_width = 0.25;
};

std::string read_file(const std::string& path) { return io::read_file_text(path); }

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
      throw io_error("cannot write to standard output");
    return;
  }
  io::write_file_atomically(path, text);
}

framework::framework_ptr load_fw(const std::string& path) {
  return path.empty() ? nullptr : framework::load_framework(path);
}

int run_bank(const report_args& a) {
  const auto fw = load_fw(a.framework);
  bank::load_options lo;
  lo.framework = fw.get();
  const auto b = bank::load_bank(a.bank, lo);
  report::bank_report_options o;
  {
    // --theta has always been LO:HI:STEP, so a bare whole third field stays a step here.
    const grid_text g = parse_grid_text(a.theta, grid_whole_number::step, "--theta");
    o.theta_lo = g.lo;
    o.theta_hi = g.hi;
    o.theta_step = g.step;
  }
  o.icc_items = split_list(a.items);
  o.icc_count = a.icc_count;
  o.statuses.clear();
  for (const auto& s : split_list(a.statuses)) {
    if (s == "operational") o.statuses.push_back(bank::item_status::operational);
    else if (s == "pretest") o.statuses.push_back(bank::item_status::pretest);
    else if (s == "retired") o.statuses.push_back(bank::item_status::retired);
    else throw invalid_argument(fmt::format("--status: unknown status '{}' (operational, pretest, retired)", s));
  }
  o.language = a.language;
  o.title = a.title;
  write_output(a.out, report::bank_report(*b, fw.get(), o, report::parse_format(a.format)));
  return exit_ok;
}

int run_scores(const report_args& a) {
  const auto fw = load_fw(a.framework);
  std::istringstream in(io::read_file_text(a.scores));
  const std::string summary = a.score_summary.empty() ? std::string() : read_file(a.score_summary);
  report::scores_report_options o;
  o.bin_width = a.bin_width;
  o.language = a.language;
  o.title = a.title;
  write_output(a.out, report::scores_report(in, a.scores, summary, fw.get(), o, report::parse_format(a.format)));
  return exit_ok;
}

int run_calibration(const report_args& a) {
  const auto b = bank::load_bank(a.bank);
  report::calibration_inputs in;
  in.bank = b.get();
  if (!a.fit.empty()) {
    in.fit_text = read_file(a.fit);
    in.fit_name = a.fit;
  }
  if (!a.log.empty()) {
    in.log_text = read_file(a.log);
    in.log_name = a.log;
  }
  if (!a.calib_summary.empty()) {
    in.summary_text = read_file(a.calib_summary);
    in.summary_name = a.calib_summary;
  }
  report::calibration_report_options o;
  o.alpha = a.alpha;
  o.title = a.title;
  if (!(o.alpha > 0 && o.alpha < 1)) throw invalid_argument("--alpha must be between 0 and 1");
  write_output(a.out, report::calibration_report(in, o, report::parse_format(a.format)));
  return exit_ok;
}

int run_simulation(const report_args& a) {
  std::istringstream in(io::read_file_text(a.results));
  const std::string summary = a.sim_summary.empty() ? std::string() : read_file(a.sim_summary);
  bank::bank_ptr b;
  if (!a.sim_bank.empty()) b = bank::load_bank(a.sim_bank);
  report::simulation_report_options o;
  o.band_width = a.band_width;
  o.title = a.title;
  if (!(o.band_width > 0)) throw invalid_argument("--band-width must be > 0");
  write_output(a.out, report::simulation_report(in, a.results, summary, b.get(), o, report::parse_format(a.format)));
  return exit_ok;
}

void common_options(CLI::App* sub, report_args& a) {
  sub->add_option("--out", a.out, "Report file (default: standard output)");
  sub->add_option("--format", a.format, "html (default) or json (the numbers behind the plots)");
  sub->add_option("--title", a.title, "Report title");
}

const bool registered = register_command(
    {"report", "Reports with plots (self-contained HTML with inline SVG, or JSON): bank, calibration, simulation, scores",
     [](CLI::App& app) -> std::function<int()> {
       auto a = std::make_shared<report_args>();
       app.require_subcommand(1);
       auto* bank = app.add_subcommand("bank", "Bank report: information and SE, ICCs, difficulty against cut scores, counts");
       bank->add_option("--bank", a->bank, "Item bank (YAML)")->required();
       bank->add_option("--framework", a->framework, "Competency framework (YAML): areas, levels, cut scores");
       bank->add_option("--items", a->items, "Items whose ICC to draw, comma-separated (default: chosen across difficulty)");
       bank->add_option("--icc-count", a->icc_count, "How many ICCs to choose when --items is not given (default 8)");
       bank->add_option("--theta", a->theta, "Theta grid LO:HI:STEP of the curves (default -4:4:0.05)");
       bank->add_option("--status", a->statuses,
                        "Statuses of the items in the information curves, comma-separated (default operational)");
       bank->add_option("--language", a->language, "Language of names (default en)");
       common_options(bank, *a);

       auto* scores = app.add_subcommand("scores", "Scores report: theta distribution, levels per area, certification, "
                                                   "reconciliation (from `dskill score` outputs)");
       scores->add_option("--scores", a->scores, "Scores file of `dskill score` (CSV or JSON Lines)")->required();
       scores->add_option("--summary", a->score_summary,
                          "Summary JSON of `dskill score --summary` (the counts to reconcile; the bank fingerprint and "
                          "dskill version, unless the rows carry them)");
       scores->add_option("--framework", a->framework, "Competency framework (YAML): level and area names, cut scores");
       scores->add_option("--bin-width", a->bin_width, "Theta histogram bin width (default 0.25)");
       scores->add_option("--language", a->language, "Language of names (default en)");
       common_options(scores, *a);

       auto* calib = app.add_subcommand("calibration", "Calibration report: log-likelihood by iteration, parameters with "
                                                       "SEs, S-X2 flags, ICCs of misfitting items");
       calib->add_option("--bank", a->bank, "The calibrated bank (`dskill calibrate --out`)")->required();
       calib->add_option("--fit", a->fit, "Item fit of `dskill fit` (its JSON output, or the --items-out CSV)");
       calib->add_option("--log", a->log, "Iteration log of `dskill calibrate --log` (CSV)");
       calib->add_option("--summary", a->calib_summary, "JSON output of `dskill calibrate`");
       calib->add_option("--alpha", a->alpha, "Flag items with S-X2 p below this (default 0.01)");
       common_options(calib, *a);

       auto* sim = app.add_subcommand("simulation", "CAT simulation report: estimated vs true theta, conditional bias/RMSE/SE, "
                                                    "test length, exposure (from `dskill simulate` outputs)");
       sim->add_option("--results", a->results, "Per-examinee CSV of `dskill simulate --out`")->required();
       sim->add_option("--summary", a->sim_summary, "JSON summary of `dskill simulate` (its standard output)");
       sim->add_option("--bank", a->sim_bank, "The bank simulated (counts items never used)");
       sim->add_option("--band-width", a->band_width, "Width of the true-theta bands (default 0.5)");
       common_options(sim, *a);

       return [a, bank, scores, calib, sim]() -> int {
         if (*bank) return run_bank(*a);
         if (*scores) return run_scores(*a);
         if (*calib) return run_calibration(*a);
         if (*sim) return run_simulation(*a);
         return exit_usage;
       };
     }});

}  // namespace
}  // namespace dskill::cli
