// dskill::report: reports a person would rather look at than read, as one self-contained HTML
// file with inline SVG plots (no scripts, no network; prints well), or as JSON with the numbers
// behind every plot.
//
//   bank_report        test information and SE (bank and per area), item characteristic curves,
//                      difficulties against the framework's cut scores, counts and level tables
//   calibration_report log-likelihood by EM iteration, parameters with SEs, S-X2 flags, ICCs of
//                      misfitting items, estimates against generating values when the bank
//                      keeps them (from `dskill calibrate` and `dskill fit` outputs)
//   simulation_report  estimated vs true theta, conditional bias/RMSE/SE, test length,
//                      item exposure (from `dskill simulate` outputs)
//   scores_report      theta distribution, levels per area, certification, reconciliation of
//                      counts (from `dskill score` outputs)
//
// The report layer reads no files itself: callers pass loaded banks and frameworks, open
// streams and file contents (the CLI opens the files). Input text that is not what the
// producing command writes is a parse_error naming the input and line.
#pragma once
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/framework/framework.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {

/// What a report function returns: an HTML document or JSON text.
enum class format { html, json };

/// "html" or "json"; throws invalid_argument otherwise.
format parse_format(std::string_view text);

// ---- bank ----------------------------------------------------------------------------------

struct bank_report_options {
  double theta_lo = -4.0, theta_hi = 4.0, theta_step = 0.05;  ///< grid of the curves
  std::vector<std::string> icc_items;  ///< items whose ICC is drawn; empty = chosen across difficulty
  std::size_t icc_count = 8;           ///< how many to choose when icc_items is empty
  /// Statuses whose items enter the information curves (operational by default; all items
  /// when the bank has none of these).
  std::vector<bank::item_status> statuses{bank::item_status::operational};
  double se_cap = 1.5;  ///< SE values above this are not drawn (they go to infinity in the tails)
  std::string language = "en";
  std::string title;    ///< empty = "Item bank report: <bank id>"
};

/// The bank report. `fw` (may be null) gives area names, levels and cut scores.
std::string bank_report(const bank::item_bank& bank, const framework::framework* fw,
                        const bank_report_options& options = {}, format f = format::html);

// ---- calibration ---------------------------------------------------------------------------

struct calibration_inputs {
  const bank::item_bank* bank = nullptr;  ///< the calibrated bank (`dskill calibrate --out`); required
  std::string fit_text;   ///< `dskill fit` JSON (stdout) or item CSV (--items-out); empty = none
  std::string fit_name;   ///< file name of fit_text, for messages
  std::string log_text;   ///< `dskill calibrate --log` CSV (iteration,log_likelihood,max_change); empty = none
  std::string log_name;
  std::string summary_text;  ///< `dskill calibrate` JSON (stdout); empty = none
  std::string summary_name;
};

struct calibration_report_options {
  double alpha = 0.01;       ///< S-X2 p below this flags an item (as `dskill fit` counts)
  std::size_t max_icc = 12;  ///< ICCs of at most this many flagged items (smallest p first)
  std::string title;
};

std::string calibration_report(const calibration_inputs& in, const calibration_report_options& options = {},
                               format f = format::html);

// ---- simulation ----------------------------------------------------------------------------

struct simulation_report_options {
  double band_width = 0.5;            ///< width of the true-theta bands of the conditional statistics
  std::size_t max_scatter = 3000;     ///< examinees drawn in the scatter (every k-th beyond this)
  std::string title;
};

/// `results`: the `dskill simulate --out` CSV (examinee,true_theta,theta,se,length,reason,...,items).
/// `summary_json`: its JSON summary (stdout), or empty. `bank` (may be null): counts never-used
/// items of the bank in the exposure distribution.
std::string simulation_report(std::istream& results, std::string_view results_name, std::string_view summary_json,
                              const bank::item_bank* bank, const simulation_report_options& options = {},
                              format f = format::html);

// ---- scores --------------------------------------------------------------------------------

struct scores_report_options {
  double bin_width = 0.25;  ///< theta histogram bins
  std::string language = "en";
  std::string title;
};

/// `scores`: the `dskill score` output (CSV, or JSON Lines). `summary_json`: its --summary file,
/// or empty. `fw` (may be null): level names, area names and cut scores. The bank fingerprint
/// and dskill version come from the rows' `bank_fingerprint,dskill_version` when they have them
/// (`--provenance-columns`), else from the summary (`bank.fingerprint`, `dskill_version`), else
/// the report says they are unknown (JSON: `provenance`, with `from`: "scores", "summary" or
/// null; a summary naming another bank than the rows is called out).
std::string scores_report(std::istream& scores, std::string_view scores_name, std::string_view summary_json,
                          const framework::framework* fw, const scores_report_options& options = {},
                          format f = format::html);

}  // namespace report
DSKILL_END_NAMESPACE
