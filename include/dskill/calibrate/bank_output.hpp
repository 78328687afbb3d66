// dskill::calibrate: from calibration results to an item bank (and back), and the small input
// files of the calibration commands (item model maps, person group or theta files).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/fit.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

struct bank_output_options {
  std::string id = "calibrated";
  std::string title;
  double scaling = 1.0;           ///< D of the written difficulty form
  std::string method;             ///< provenance method, e.g. "MML-EM 2PL (dskill)"
  std::string data;               ///< "real" | "simulated" | "" (not said)
  std::string date;               ///< ISO date; empty = today (UTC)
  std::string note;
  bank::item_status status = bank::item_status::operational;
  bool standard_errors = true;    ///< write SEs into each item's meta (when computed)
};

/// A bank of the calibrated items: parameters, SEs (item meta `se`, difficulty form at D),
/// S-X2 (item meta `fit`) when given, fit statistics in the provenance and the bank meta
/// `calibration`. Throws invalid_argument when PCM items are asked for D != 1 (a PCM slope is 1).
bank::item_bank make_bank(const result& res, const std::vector<std::string>& item_ids,
                          const bank_output_options& opts, const std::vector<sx2_item>* fit = nullptr,
                          const options* used = nullptr);

/// Items appended to (or replacing items of) an existing bank, e.g. pretest items with
/// status pretest. Items whose id is already in the bank are kept from the bank.
bank::item_bank extend_bank(const bank::item_bank& base, const std::vector<item_estimate>& items,
                            const std::vector<std::string>& item_ids, bank::item_status status,
                            const std::string& note);

/// Reads an item-model map: YAML `{item_id: model, ...}`, optionally under a top-level `models:`
/// key. Throws parse_error (with file and line) for an unknown model or a malformed file.
std::map<std::string, irt::model> read_model_map(const std::string& path);

/// Reads a two-column CSV (header, then `person_id,value`): person groups or abilities.
std::map<std::string, std::string> read_person_values(const std::string& path);

/// Writes estimates as CSV: item,model,a,b1..bK,c,d,se_a,se_b1..,se_c,se_d (difficulty form at D).
void write_params_csv(const std::string& path, const std::vector<item_estimate>& items,
                      const std::vector<std::string>& item_ids, double scaling = 1.0);

}  // namespace calibrate
DSKILL_END_NAMESPACE
